import os
from promptflow import tool


@tool
def crash(code: int = 3):
    os._exit(code)
