from promptflow import tool


@tool
def huge(size: int):
    return "x" * size
