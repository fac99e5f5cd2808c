from promptflow._core.tool import tool
from promptflow._core.metric_logger import log_metric
from promptflow.connections import AzureOpenAIConnection, CustomConnection, OpenAIConnection

__all__ = ["tool", "log_metric", "AzureOpenAIConnection", "OpenAIConnection", "CustomConnection"]
