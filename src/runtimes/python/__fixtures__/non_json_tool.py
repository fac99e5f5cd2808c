from promptflow import tool


class Opaque:
    pass


@tool
def opaque():
    return Opaque()
