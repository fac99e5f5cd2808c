"""promptflow's assistant tool invoker: the python tools an assistant definition lists, callable by name and
described in OpenAI's tools format (name, the docstring's description, parameters from the signature)."""

import functools
import importlib.util
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

_JSON_TYPES = {"str": "string", "int": "number", "float": "number", "bool": "boolean", "list": "array", "dict": "object"}


@dataclass
class AssistantTool:
    name: str
    openai_definition: dict
    func: Callable


class AssistantToolInvoker:
    def __init__(self, tools=None, working_dir=None):
        self._assistant_tools = dict(tools or {})
        self._working_dir = Path(working_dir or ".")

    @classmethod
    def init(cls, assistant_definition, working_dir=None, connections=None):
        invoker = cls(working_dir=working_dir)
        invoker.load_tools(assistant_definition.tools, connections or {})
        return invoker

    def load_tools(self, tools, connections=None):
        for index, tool in enumerate(tools or []):
            if tool.get("type") != "function":
                raise NotImplementedError(
                    f"assistant tool {index}: type {tool.get('type')!r} is not supported by flowops; use type: function."
                )
            source = tool.get("source") or {}
            if tool.get("tool_type") != "python" or source.get("type") != "code" or not source.get("path"):
                raise NotImplementedError(
                    f"assistant tool {index}: only python code tools (tool_type: python, source: {{type: code, path}}) "
                    "are supported by flowops."
                )
            func = _load_tool(self._working_dir / source["path"])
            original = getattr(func, "__original_function", func)
            predefined = dict(tool.get("predefined_inputs") or {})
            params = inspect.signature(original).parameters
            for name in predefined:
                make = (connections or {}).get((index, name))
                if make is not None:
                    predefined[name] = make(params[name].annotation if name in params else None)
            definition = _openai_definition(original, set(predefined))
            name = definition["function"]["name"]
            self._assistant_tools[name] = AssistantTool(name, definition, functools.partial(func, **predefined))

    def invoke_tool(self, func_name, kwargs):
        return self._assistant_tools[func_name].func(**kwargs)

    def to_openai_tools(self):
        return [tool.openai_definition for tool in self._assistant_tools.values()]


def _load_tool(path):
    path = Path(path).resolve()
    spec = importlib.util.spec_from_file_location(f"flowops_assistant_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tools = [v for v in vars(module).values() if callable(v) and getattr(v, "_flowops_tool", False)]
    own = [t for t in tools if getattr(t, "__module__", None) == module.__name__] or tools
    if len(own) != 1:
        raise ValueError(f"{path} must define exactly one @tool function for an assistant tool, found {len(own)}.")
    return own[0]


def _openai_definition(func, predefined):
    doc = inspect.getdoc(func) or ""
    described = {m.group(1): m.group(2).strip() for m in re.finditer(r"^:param\s+(\w+):\s*(.*)$", doc, re.M)}
    typed = {m.group(1): m.group(2).strip() for m in re.finditer(r"^:type\s+(\w+):\s*(.*)$", doc, re.M)}
    description = re.split(r"^:(?:param|type|return|rtype)\b", doc, maxsplit=1, flags=re.M)[0].strip()
    properties, required = {}, []
    for name, param in inspect.signature(func).parameters.items():
        if name in predefined or name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = param.annotation
        type_name = getattr(annotation, "__name__", None) if annotation is not param.empty else typed.get(name)
        properties[name] = {"description": described.get(name, ""), "type": _JSON_TYPES.get(type_name or "str", "string")}
        if param.default is param.empty:
            required.append(name)
    return {
        "type": "function",
        "function": {
            "name": func.__name__,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }
