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


def image_from_text(text):
    """A text given for an Image parameter, read as promptflow does: a data URL, an http(s) URL, or a path."""
    match = re.match(r"^data:(image/[\w.+-]+);base64,(.*)$", text, re.S)
    if match:
        return _image(match.group(1), "base64", match.group(2))
    ext = re.search(r"\.([A-Za-z0-9]{1,5})(?:[?#].*)?$", text)
    ext = ext.group(1).lower() if ext else ""
    mime = f"image/{ext if ext in ('png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp') else 'png'}"
    if re.match(r"^https?://", text, re.I):
        return _image(mime, "url", text)
    return _image(mime, "path", text)


def typed_images(callable_, kwargs):
    """Text given for a parameter annotated `Image` becomes an Image (promptflow converts such inputs)."""
    import inspect

    try:
        params = inspect.signature(callable_).parameters
    except (TypeError, ValueError):
        return kwargs
    for name, value in list(kwargs.items()):
        annotation = params[name].annotation if name in params else None
        named = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", None)
        if named == "Image" and isinstance(value, str) and value:
            kwargs[name] = image_from_text(value)
    return kwargs
