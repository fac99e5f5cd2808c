"""promptflow.core's Prompty for flowops: the prompty runs in the flowops engine (its model providers,
connections, recordings and traces), called back through the worker protocol; nothing here calls a
model SDK."""

import inspect
import json
import os
from pathlib import Path

from flowops_context import call_prompty


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


class Prompty:
    """A .prompty file as a callable: `Prompty.load(source="chat.prompty", model={...})(question=...)`."""

    def __init__(self, path, model=None, **kwargs):
        self._path = Path(path)
        self._model = _plain(model) if model else None
        self.path = str(self._path)

    @classmethod
    def load(cls, source, model=None, **kwargs):
        return cls(_resolve_source(source), model=model, **kwargs)

    def __call__(self, *args, **kwargs):
        if args:
            raise TypeError("Prompty takes its inputs as keyword arguments, e.g. prompty(question='...')")
        return call_prompty(self._path, _plain(kwargs), self._model)

    def estimate_token_count(self, *args, **kwargs):
        """An estimate (about 4 characters a token) of the prompt's inputs plus the template's text."""
        text = self._path.read_text(encoding="utf-8") + json.dumps(_plain(kwargs), ensure_ascii=False)
        return max(1, len(text) // 4)

    def __repr__(self):
        return f"Prompty({os.path.basename(self.path)!r})"


class AsyncPrompty(Prompty):
    """promptflow.core's AsyncPrompty: `await prompty(question=...)`."""

    async def __call__(self, *args, **kwargs):
        return Prompty.__call__(self, *args, **kwargs)
