from dataclasses import dataclass
from typing import Iterator


@dataclass
class Answer:
    text: Iterator[str]
    title: str


async def _agen(text):
    for word in text.split():
        yield word


def _gen(text):
    for word in text.split():
        yield word + " "


def as_dataclass(text: str) -> Answer:
    return Answer(text=_gen(text), title="t")


def as_dict(text: str):
    return {"text": _agen(text), "title": "d"}
