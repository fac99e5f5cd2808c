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


# A flow with `message_format: openai-vision` writes images as OpenAI's content parts instead.
_VISION_KINDS = {"image_url": ("url", "url"), "image_file": ("path", "path")}
message_format = {"value": "basic"}


def to_python(value):
    if isinstance(value, dict):
        if message_format["value"] == "openai-vision" and value.get("type") in _VISION_KINDS:
            kind, field = _VISION_KINDS[value["type"]]
            inner = value.get(value["type"])
            data = inner.get(field) if isinstance(inner, dict) else None
            if isinstance(data, str):
                return image_from_text(data) if kind == "url" else _image(_mime_of(data), "path", data)
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


def _mime_of(text):
    ext = re.search(r"\.([A-Za-z0-9]{1,5})(?:[?#].*)?$", text)
    ext = ext.group(1).lower() if ext else ""
    return f"image/{ext if ext in ('png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp') else 'png'}"


def image_from_text(text):
    """Text given for an image, read as promptflow does: a data URL, an http(s) URL, base64, or a path."""
    match = re.match(r"^data:(image/[\w.+-]+);base64,(.*)$", text, re.S)
    if match:
        return _image(match.group(1), "base64", match.group(2))
    if re.match(r"^https?://", text, re.I):
        return _image(_mime_of(text), "url", text)
    if len(text) >= 32 and "." not in text and re.fullmatch(r"[A-Za-z0-9+/=\s]+", text):
        return _image("image/png", "base64", text)
    return _image(_mime_of(text), "path", text)


def serialize_image(image):
    """An Image returned by a tool, in the flow's message format."""
    url = getattr(image, "source_url", None)
    if len(image) == 0 and isinstance(url, str) and url.startswith(("http://", "https://")):
        # A URL image that was not fetched: hand the URL on rather than an empty image.
        if message_format["value"] == "openai-vision":
            return {"type": "image_url", "image_url": {"url": url}}
        return {f"data:{getattr(image, '_mime_type', 'image/*')};url": url}
    if message_format["value"] == "openai-vision":
        return {"type": "image_url", "image_url": {"url": image.to_base64(with_type=True)}}
    return image.to_base64(with_type=True, dict_type=True)


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
