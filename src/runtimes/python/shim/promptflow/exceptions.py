"""promptflow.exceptions for flowops (used only when the real `promptflow` package is not installed):
the user/system error bases promptflow's own errors derive from."""


class PromptflowException(Exception):
    def __init__(self, message="", **kwargs):
        super().__init__(message)
        self.message = str(message)


class UserErrorException(PromptflowException):
    """An error caused by the user's flow, inputs or configuration."""


class SystemErrorException(PromptflowException):
    """An error inside the runtime."""


class ValidationException(UserErrorException):
    pass
