import asyncio
import time

from promptflow import log_metric, tool, trace
from promptflow.connections import AzureOpenAIConnection, CustomConnection, CustomStrongTypeConnection


@trace
def shout(text):
    return text.upper()


@tool
def echo(text: str, suffix: str = "!") -> str:
    print("this print must not break the protocol")
    return shout(text) + suffix
