import os
import time
from promptflow import tool


@tool
def meet(barrier: str, parties: int, wait: float = 20.0):
    """Registers at a file barrier and waits until `parties` calls have arrived (or gives up)."""
    with open(barrier, "a") as f:
        f.write(f"{os.getpid()}\n")
    deadline = time.time() + wait
    met = False
    while time.time() < deadline:
        with open(barrier) as f:
            if len(f.read().split()) >= parties:
                met = True
                break
        time.sleep(0.02)
    return {"pid": os.getpid(), "met": met}
