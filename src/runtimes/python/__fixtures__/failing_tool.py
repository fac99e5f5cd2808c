from promptflow import tool


def helper(value):
    return {"a": 1}[value]


@tool
def fail(value: str):
    return helper(value)
