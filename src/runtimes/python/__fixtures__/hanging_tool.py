import time
from promptflow import tool


@tool
def hang(seconds: float = 60):
    time.sleep(seconds)
    return "late"
