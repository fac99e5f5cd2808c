"""A stand-in for the real promptflow package (written for flowops's tests): like promptflow, its
log_metric goes through a MetricLoggerManager that drops metrics unless a logger is registered."""

from promptflow._core.metric_logger import log_metric
from promptflow._core.tool import tool

__all__ = ["log_metric", "tool"]
