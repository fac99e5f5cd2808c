"""A minimal promptflow-compatible module written for flowops (used only when the real `promptflow`
package is not installed): `tool`, `log_metric`, `trace` and the connection classes, enough for a
flow's own Python to run with only the standard library."""

from promptflow._core.tool import ToolProvider, tool
from promptflow._core.metric_logger import log_metric
from promptflow.tracing import trace

__all__ = ["tool", "ToolProvider", "log_metric", "trace"]
