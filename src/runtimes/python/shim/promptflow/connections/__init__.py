"""promptflow's connection classes: attribute access to configs and secrets."""


class _Connection:
    TYPE = "custom"
    # promptflow's connection type names (`connection.type`), e.g. "AzureOpenAI", "Custom".
    _TYPE_NAMES = {
        "azure_open_ai": "AzureOpenAI",
        "open_ai": "OpenAI",
        "custom": "Custom",
        "serp": "Serp",
        "cognitive_search": "CognitiveSearch",
        "azure_content_safety": "AzureContentSafety",
    }

    def __init__(self, name=None, **values):
        self.name = name
        self._values = dict(values)

    @property
    def type(self):
        return self._TYPE_NAMES.get(self.TYPE, self.TYPE)

    def __getattr__(self, key):
        values = self.__dict__.get("_values", {})
        if key in values:
            return values[key]
        raise AttributeError(f"{type(self).__name__} has no attribute {key!r}")

    def __getitem__(self, key):
        return self._values[key]

    def get(self, key, default=None):
        return self._values.get(key, default)

    def keys(self):
        return self._values.keys()

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


class AzureOpenAIConnection(_Connection):
    TYPE = "azure_open_ai"

    def __init__(self, api_key=None, api_base=None, api_type="azure", api_version="2024-02-01",
                 auth_mode="key", name=None, **kwargs):
        super().__init__(name=name, api_key=api_key, api_base=api_base, api_type=api_type,
                         api_version=api_version, auth_mode=auth_mode, **kwargs)


class OpenAIConnection(_Connection):
    TYPE = "open_ai"

    def __init__(self, api_key=None, organization=None, base_url=None, name=None, **kwargs):
        super().__init__(name=name, api_key=api_key, organization=organization, base_url=base_url, **kwargs)


class CustomConnection(_Connection):
    TYPE = "custom"

    def __init__(self, configs=None, secrets=None, name=None, **kwargs):
        self.configs = dict(configs or {})
        self.secrets = dict(secrets or {})
        super().__init__(name=name, **{**self.configs, **self.secrets, **kwargs})

    def is_secret(self, key):
        return key in self.secrets


class SerpConnection(_Connection):
    TYPE = "serp"

    def __init__(self, api_key=None, name=None, **kwargs):
        super().__init__(name=name, api_key=api_key, **kwargs)


class CognitiveSearchConnection(_Connection):
    TYPE = "cognitive_search"

    def __init__(self, api_key=None, api_base=None, api_version="2023-11-01", auth_mode="key", name=None, **kwargs):
        super().__init__(name=name, api_key=api_key, api_base=api_base, api_version=api_version,
                         auth_mode=auth_mode, **kwargs)


class AzureContentSafetyConnection(_Connection):
    TYPE = "azure_content_safety"

    def __init__(self, api_key=None, endpoint=None, api_version="2023-10-01", api_type="Content Safety",
                 auth_mode="key", name=None, **kwargs):
        super().__init__(name=name, api_key=api_key, endpoint=endpoint, api_version=api_version,
                         api_type=api_type, auth_mode=auth_mode, **kwargs)


class CustomStrongTypeConnection(CustomConnection):
    """Base for user-defined strong-type connections (annotated fields; `Secret` ones are secrets).

    The stored values win over the class's defaults: each config and secret is an instance attribute.
    Keyword fields (`MyConnection(api_key=..., api_base=...)`) are secrets when annotated `Secret`.
    """

    def __init__(self, configs=None, secrets=None, name=None, **kwargs):
        configs, secrets = dict(configs or {}), dict(secrets or {})
        hints = {}
        for klass in reversed(type(self).__mro__):
            hints.update(getattr(klass, "__annotations__", {}))
        for key, value in kwargs.items():
            hint = hints.get(key)
            is_secret = hint is Secret or getattr(hint, "__name__", hint) == "Secret"
            (secrets if is_secret else configs)[key] = value
        super().__init__(configs=configs, secrets=secrets, name=name)
        for key, value in {**configs, **secrets}.items():
            setattr(self, key, value)


class Secret(str):
    """Marks a strong-type connection field as secret."""
