import asyncio
from promptflow.core import tool


@tool
async def wait_and_add(a: int, b: int = 2):
    await asyncio.sleep(0.01)
    return a + b
