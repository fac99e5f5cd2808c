"""promptflow.core's model configurations, as flex flows receive them in `init` (written for flowops)."""

from dataclasses import asdict, dataclass, field
from typing import Optional


def _one_source(config, endpoint, key):
    """promptflow refuses a configuration that names a connection and also sets its own key. (An
    endpoint beside a connection is allowed here: flowops fills it in from the named connection.)"""
    if config.connection and key:
        from promptflow.core._errors import InvalidConnectionError

        raise InvalidConnectionError("Cannot configure model config and connection at the same time.")


@dataclass
class ModelConfiguration:
    connection: Optional[str] = None

    def to_dict(self):
        values = {k: v for k, v in asdict(self).items() if v is not None}
        kind = getattr(type(self), "_type", None)
        return {"type": kind, **values} if kind else values


@dataclass
class AzureOpenAIModelConfiguration(ModelConfiguration):
    _type = "azure_openai"

    azure_deployment: Optional[str] = None
    azure_endpoint: Optional[str] = None
    api_version: Optional[str] = None
    api_key: Optional[str] = field(default=None, repr=False)

    def __post_init__(self):
        _one_source(self, self.azure_endpoint, self.api_key)


@dataclass
class OpenAIModelConfiguration(ModelConfiguration):
    _type = "openai"

    model: Optional[str] = None
    base_url: Optional[str] = None
    organization: Optional[str] = None
    api_key: Optional[str] = field(default=None, repr=False)

    def __post_init__(self):
        _one_source(self, self.base_url, self.api_key)
