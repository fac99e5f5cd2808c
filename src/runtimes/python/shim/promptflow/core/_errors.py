"""promptflow.core's user errors, as Prompty and the model configurations raise them (written for flowops)."""

from promptflow.exceptions import UserErrorException


class MissingRequiredInputError(UserErrorException):
    """A Prompty was called without one of its inputs that has no default."""


class InvalidConnectionError(UserErrorException):
    """A model configuration names a connection and also sets its own endpoint or key."""


class InvalidOutputKeyError(UserErrorException):
    """`Prompty.load(outputs=...)` names an output the JSON answer does not have."""
