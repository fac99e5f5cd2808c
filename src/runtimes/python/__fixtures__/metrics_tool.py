from typing import List
from promptflow import log_metric, tool


@tool
def accuracy(grades: List[str]):
    value = round(grades.count("Correct") / len(grades), 2)
    log_metric(key="accuracy", value=value)
    return value
