"""promptflow.core's Prompty for flowops: the prompty runs in the flowops engine (its model providers,
connections, recordings and traces), called back through the worker protocol; nothing here calls a
model SDK."""

import inspect
import json
import os
from pathlib import Path

from flowops_context import call_prompty
from promptflow.core._errors import InvalidOutputKeyError
from promptflow.exceptions import UserErrorException


def _plain(value):
    """Model configurations (dataclasses) and Paths as JSON the engine reads."""
    if hasattr(value, "to_dict"):
        return _plain(value.to_dict())
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _resolve_source(source):
    path = Path(source)
    if path.is_absolute():
        candidates = [path]
    else:
        caller = next(
            (frame.filename for frame in inspect.stack()[2:] if not frame.filename.startswith(str(Path(__file__).parent))),
            None,
        )
        candidates = [Path.cwd() / path] + ([Path(caller).parent / path] if caller else [])
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise FileNotFoundError(f"Prompty source '{source}' does not exist (looked in {', '.join(str(c) for c in candidates)})")


def _select_outputs(result, outputs):
    """`Prompty.load(outputs={...})` on a JSON answer: only those keys (promptflow's format_llm_response)."""
    if not outputs or not isinstance(result, dict):
        return result
    missing = [key for key in outputs if key not in result]
    if missing:
        raise InvalidOutputKeyError(f"Cannot find {missing[0]} in response {list(result.keys())}")
    return {key: result[key] for key in outputs}


class Prompty:
    """A .prompty file as a callable: `Prompty.load(source="chat.prompty", model={...})(question=...)`."""

    def __init__(self, path, model=None, **kwargs):
        self._path = Path(path)
        self._model = _plain(model) if model else None
        self._outputs = kwargs.get("outputs")
        self.path = str(self._path)

    @classmethod
    def load(cls, source, model=None, **kwargs):
        return cls(_resolve_source(source), model=model, **kwargs)

    def __call__(self, *args, **kwargs):
        if args:
            raise TypeError("Prompty takes its inputs as keyword arguments, e.g. prompty(question='...')")
        return _select_outputs(call_prompty(self._path, _plain(kwargs), self._model), self._outputs)

    def render(self, *args, **kwargs):
        """The prompt the model would get (chat: the messages as text), without calling it."""
        if args:
            raise UserErrorException("Prompty can only be rendered with keyword arguments.")
        return str(call_prompty(self._path, _plain(kwargs), self._model, render=True)["prompt"])

    def estimate_token_count(self, *args, **kwargs):
        """The prompt's tokens plus `max_tokens`. flowops estimates the prompt at about 4 characters a
        token (plus each chat message's overhead) where promptflow counts them with tiktoken."""
        if args:
            raise UserErrorException("Prompty can only be rendered with keyword arguments.")
        rendered = call_prompty(self._path, _plain(kwargs), self._model, render=True)
        budget = rendered.get("max_tokens")
        if budget is not None and not isinstance(budget, int):
            raise UserErrorException("Max_token needs to be integer.")
        if budget is not None and budget <= 1:
            raise UserErrorException(f"{budget} is less than the minimum of max_tokens.")
        prompt = rendered["prompt"]
        if isinstance(prompt, str):
            tokens = -(-len(prompt) // 4)
        else:
            tokens = 3 + sum(4 + -(-len(json.dumps(m.get("content"), ensure_ascii=False)) // 4) for m in prompt)
        return tokens + (budget or 0)

    def __repr__(self):
        return f"Prompty({os.path.basename(self.path)!r})"


class AsyncPrompty(Prompty):
    """promptflow.core's AsyncPrompty: `await prompty(question=...)`."""

    async def __call__(self, *args, **kwargs):
        return Prompty.__call__(self, *args, **kwargs)


class Flow:
    """promptflow.core's `Flow.load(source)`, for `.prompty` files (a DAG or flex flow is run by flowops
    itself: `flowops flow test`, `loadFlow` from TypeScript)."""

    @classmethod
    def load(cls, source, **kwargs):
        if str(source).endswith(".prompty"):
            return Prompty.load(source, **kwargs)
        raise UserErrorException(
            f"Flow.load({source!r}): flowops' python module loads .prompty files only; run a DAG or flex flow "
            "with 'flowops flow test' or loadFlow from TypeScript, or call its entry function directly."
        )
