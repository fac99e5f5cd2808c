from promptflow._core.tool import ToolProvider, tool
from promptflow._core.metric_logger import log_metric
from promptflow.connections import AzureOpenAIConnection, CustomConnection, OpenAIConnection
from promptflow.core._prompty import AsyncPrompty, Flow, Prompty
from promptflow.core._model_configuration import (
    AzureOpenAIModelConfiguration,
    ModelConfiguration,
    OpenAIModelConfiguration,
)

__all__ = [
    "tool",
    "ToolProvider",
    "log_metric",
    "AzureOpenAIConnection",
    "OpenAIConnection",
    "CustomConnection",
    "AzureOpenAIModelConfiguration",
    "OpenAIModelConfiguration",
    "ModelConfiguration",
    "Prompty",
    "AsyncPrompty",
    "Flow",
]
