"""Turns a connection sent by the engine ({type, configs, secrets, ...}) into promptflow's objects."""

import importlib
import inspect


def make_connection(spec, annotation=None):
    from promptflow.connections import (
        AzureContentSafetyConnection,
        AzureOpenAIConnection,
        CognitiveSearchConnection,
        CustomConnection,
        CustomStrongTypeConnection,
        OpenAIConnection,
        SerpConnection,
    )

    typed = {
        "azure_open_ai": AzureOpenAIConnection,
        "open_ai": OpenAIConnection,
        "serp": SerpConnection,
        "cognitive_search": CognitiveSearchConnection,
        "azure_content_safety": AzureContentSafetyConnection,
    }

    kind = spec.get("type")
    values = {k: v for k, v in spec.items() if k not in ("type", "name", "configs", "secrets", "module")}
    if inspect.isclass(annotation) and issubclass(annotation, CustomStrongTypeConnection):
        return annotation(configs=spec.get("configs") or {}, secrets=spec.get("secrets") or {}, name=spec.get("name"))
    if kind in typed:
        return typed[kind](name=spec.get("name"), **values)
    if kind == "custom" and spec.get("custom_type") and spec.get("module"):
        strong = strong_type_class(spec)
        return strong(configs=spec.get("configs") or {}, secrets=spec.get("secrets") or {}, name=spec.get("name"))
    if kind == "custom":
        return CustomConnection(configs=spec.get("configs") or {}, secrets=spec.get("secrets") or {}, name=spec.get("name"))
    # Other vendors: a custom-like object exposing every field as an attribute.
    return CustomConnection(configs=values, secrets={}, name=spec.get("name"))


def strong_type_class(spec):
    """The class a custom strong-type connection names (`module` + `custom_type`), or a clear error."""
    module_name, class_name = spec["module"], spec["custom_type"]
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        package = spec.get("package") or module_name.split(".")[0]
        raise ImportError(
            f"connection '{spec.get('name')}' is a custom strong-type connection of {module_name}.{class_name}, "
            f"but {module_name} cannot be imported ({error}): install the package {package!r} "
            f"(add it to the flow's requirements.txt)."
        ) from error
    found = getattr(module, class_name, None)
    if not inspect.isclass(found):
        raise ImportError(f"connection '{spec.get('name')}': {module_name} has no class {class_name!r} (custom_type).")
    return found
