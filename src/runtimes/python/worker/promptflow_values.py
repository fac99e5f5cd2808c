"""Values crossing the worker boundary in promptflow's serialized forms: images.

Inputs: any `{"data:image/png;base64": B}` (also `;path` inside the flow folder, `;url`), at any depth
(lists of images, dicts holding images), becomes promptflow.contracts.multimedia.Image. Outputs: an
Image is sent back as `{"data:image/png;base64": B}` (its to_dict/serialize).
"""

import base64
import os
import re
from pathlib import Path

_KEY = re.compile(r"^data:(image/[\w.+-]+);(path|url|base64)$")


def to_python(value):
    if isinstance(value, dict):
        if len(value) == 1:
            key, inner = next(iter(value.items()))
            match = _KEY.match(key) if isinstance(key, str) else None
            if match and isinstance(inner, str):
                return _image(match.group(1), match.group(2), inner)
        return {k: to_python(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


def _image(mime, kind, data):
    from promptflow.contracts.multimedia import Image

    if kind == "base64":
        return Image(base64.b64decode(data), mime_type=mime)
    if kind == "url":
        return Image(b"", mime_type=mime, source_url=data)
    root = Path(os.getcwd()).resolve()
    target = (root / data).resolve()
    if root != target and root not in target.parents:
        raise ValueError(f"image path '{data}' is outside the flow folder: give the image as base64 or a file in the flow folder")
    return Image(target.read_bytes(), mime_type=mime, source_url=str(target))
