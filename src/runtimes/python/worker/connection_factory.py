"""Turns a connection sent by the engine ({type, configs, secrets, ...}) into promptflow's objects."""

import inspect


def make_connection(spec, annotation=None):
    from promptflow.connections import (
        AzureOpenAIConnection,
        CustomConnection,
        CustomStrongTypeConnection,
        OpenAIConnection,
    )

    kind = spec.get("type")
    values = {k: v for k, v in spec.items() if k not in ("type", "name", "configs", "secrets", "module")}
    if inspect.isclass(annotation) and issubclass(annotation, CustomStrongTypeConnection):
        return annotation(configs=spec.get("configs") or {}, secrets=spec.get("secrets") or {}, name=spec.get("name"))
    if kind == "azure_open_ai":
        return AzureOpenAIConnection(name=spec.get("name"), **values)
    if kind == "open_ai":
        return OpenAIConnection(name=spec.get("name"), **values)
    if kind == "custom":
        return CustomConnection(configs=spec.get("configs") or {}, secrets=spec.get("secrets") or {}, name=spec.get("name"))
    # Other vendors: a custom-like object exposing every field as an attribute.
    return CustomConnection(configs=values, secrets={}, name=spec.get("name"))
