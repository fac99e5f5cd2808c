import os

from promptflow import tool


@tool
def environment_names() -> list:
    return sorted(os.environ.keys())
