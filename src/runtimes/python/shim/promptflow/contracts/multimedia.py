"""promptflow.contracts.multimedia: images passed into and out of python nodes.

On the wire an image is promptflow's serialized form, `{"data:image/png;base64": "..."}` (also
`;path` relative to the flow folder, and `;url`); the worker turns those into `Image` objects for the
tool, and `Image` objects a tool returns back into the base64 form.
"""

import base64
import hashlib
import re

_KEY = re.compile(r"^data:(image/[\w.+-]+);(path|url|base64)$")


class PFBytes(bytes):
    """Bytes with a MIME type (promptflow's base class of Image)."""

    def __new__(cls, value, mime_type="application/octet-stream", source_url=None):
        obj = super().__new__(cls, value)
        obj._mime_type = mime_type
        obj._source_url = source_url
        return obj

    @property
    def source_url(self):
        return self._source_url

    def to_base64(self, with_type=False, dict_type=False):
        encoded = base64.b64encode(self).decode("utf-8")
        if not with_type:
            return encoded
        if dict_type:
            return {f"data:{self._mime_type};base64": encoded}
        return f"data:{self._mime_type};base64,{encoded}"

    def serialize(self, encoder=None):
        return self.to_base64(with_type=True, dict_type=True)

    def to_dict(self):
        return self.serialize()


class Image(PFBytes):
    """An image: bytes with a MIME type (`image/png` unless told), as promptflow's tools receive them."""

    def __new__(cls, value, mime_type="image/*", source_url=None):
        return super().__new__(cls, value, mime_type, source_url)

    def __str__(self):
        # promptflow's form: the first 8 hex digits of the bytes' SHA-1 (a prompt's image placeholder).
        return f"Image({hashlib.sha1(self).hexdigest()[:8]})"

    def __repr__(self):
        return str(self)


class ChatInputList(list):
    """A chat input given as a list (text and images): its str is one item per line, as in promptflow."""

    def __init__(self, iterable=None):
        super().__init__(iterable or [])

    def __str__(self):
        return "\n".join(map(str, self))


class Text:
    """promptflow's rich text contract (text with annotations)."""

    def __init__(self, value, annotations=None):
        self.value = value
        self.annotations = annotations or []

    def to_dict(self):
        return {"type": "text", "text": {"value": self.value, "annotations": self.annotations}}

    def __str__(self):
        return self.value


def is_image_dict(value):
    return isinstance(value, dict) and len(value) == 1 and bool(_KEY.match(next(iter(value))))
