from promptflow._core.operation_context import OperationContext  # noqa: F401
