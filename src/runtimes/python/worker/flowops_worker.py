"""flowops Python worker: runs promptflow `@tool` functions for the TypeScript engine.

Protocol: frames on the process's original stdout/stdin, each a 4-byte big-endian length followed by
UTF-8 JSON. Anything the user's code prints goes to stderr (fd 1 is redirected), so it can never
corrupt the protocol. One request is handled at a time; the engine runs a pool of workers.

Requests:  {"id", "op": "call", "file", "function"?, "inputs", "connections", "node", "init"?}
           {"id", "op": "inspect", "file", "function"?}
           `function` may name a class (a flex flow's class entry): it is built once per `init` with
           `init` as keyword arguments, and the instance is called with the inputs.
           {"op": "shutdown"}
Responses: {"id", "type": "chunk", "value", "field"?} (generator tools, streamed)
           {"id", "type": "record", "value", "streams"} (a dataclass/dict whose `streams` fields are
           generators: `value` has the other fields; their chunks follow with `field`)
           {"id", "type": "metric", "name", "value", "variant"}
           {"id", "type": "span", "name", "start", "end", "inputs", "output", "error"?}
           {"id", "type": "result", "value"} | {"id", "type": "error", "error": {...}}
"""

import asyncio
import importlib.util
import inspect
import json
import os
import struct
import sys
import threading
import time
import traceback
import typing
from pathlib import Path

# Keep the protocol channel, then point fd 1 at stderr so user prints can't break framing.
_proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
os.dup2(2, 1)
sys.stdout = sys.stderr
_proto_in = sys.stdin.buffer

SHIM_DIR = str(Path(__file__).resolve().parent.parent / "shim")
try:
    import promptflow  # noqa: F401  (the real package, when installed)

    USING_REAL_PROMPTFLOW = True
except ImportError:
    sys.path.insert(0, SHIM_DIR)
    USING_REAL_PROMPTFLOW = False

from flowops_context import current_call, forget_pending_calls, set_current_call, set_reader  # noqa: E402


def _register_metric_logger():
    """With the real promptflow installed, `log_metric` goes to its MetricLoggerManager, which drops
    metrics unless a logger is registered: register flowops's, so aggregation metrics reach the run."""
    if not USING_REAL_PROMPTFLOW:
        return
    try:
        from promptflow._core.metric_logger import add_metric_logger
    except ImportError:
        return
    from flowops_context import log_metric as flowops_log_metric

    add_metric_logger(flowops_log_metric)


_register_metric_logger()
from flowops_context import reset_operation_context  # noqa: E402

_modules = {}


_send_lock = threading.Lock()


NON_FINITE = "__flowops_non_finite__"


def send(message):
    try:
        text = json.dumps(message, default=_json_default, ensure_ascii=False, allow_nan=False)
    except ValueError:
        # NaN and infinities (promptflow keeps them as floats) are not JSON: sent as a marker the host
        # turns back into NaN / Infinity.
        text = json.dumps(message, default=_finite_default, ensure_ascii=False, allow_nan=False, cls=_FiniteEncoder)
    data = text.encode("utf-8")
    with _send_lock:  # tools may report spans from their own threads
        _proto_out.write(struct.pack(">I", len(data)) + data)


def _finite(value):
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return {NON_FINITE: "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")}
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


class _FiniteEncoder(json.JSONEncoder):
    def encode(self, o):
        return super().encode(_finite(o))


def _finite_default(value):
    return _finite(_json_default(value))


def _json_default(value):
    if isinstance(value, bytes) and hasattr(value, "to_base64"):  # promptflow's Image/PFBytes
        from promptflow_values import serialize_image

        return serialize_image(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"value of type {type(value).__name__} is not JSON-serializable")


def read_frame():
    header = _proto_in.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack(">I", header)
    data = _proto_in.read(length)
    return json.loads(data.decode("utf-8"))


def load_module(file):
    path = str(Path(file).resolve())
    if path in _modules:
        return _modules[path]
    folder = str(Path(path).parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    # promptflow runs a tool file as the module `__pf_main__` (code may test `__name__`); it is also kept
    # under a name of its own, so several tool files stay loaded side by side.
    name = "flowops_user_" + str(abs(hash(path)))
    spec = importlib.util.spec_from_file_location("__pf_main__", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.modules["__pf_main__"] = module
    spec.loader.exec_module(module)
    _modules[path] = module
    return module


def is_tool(value):
    return callable(value) and (
        hasattr(value, "__tool") or getattr(value, "_flowops_tool", False) or hasattr(value, "__original_function")
    )


class ClassTool:
    """A `@tool` method of a class (promptflow's ToolProvider): built with the init inputs, then called."""

    def __init__(self, cls, method):
        self.cls = cls
        self.method = method
        self.__name__ = f"{cls.__name__}.{method}"

    def init_names(self):
        return [n for n in inspect.signature(self.cls.__init__).parameters if n != "self"]


def _class_tools(module):
    found = []
    for value in vars(module).values():
        if inspect.isclass(value) and getattr(value, "__module__", None) == module.__name__:
            found += [ClassTool(value, name) for name, member in vars(value).items() if is_tool(member)]
    return found


def find_package_tool(tool_id):
    """A tool from an installed package's `package_tools` entry point (promptflow's tool packages)."""
    from importlib.metadata import entry_points

    found = entry_points()
    group = found.select(group="package_tools") if hasattr(found, "select") else found.get("package_tools", [])
    for entry in group:
        try:
            tools = entry.load()()
        except Exception as error:  # noqa: BLE001 - a broken tool package must not hide the others
            print(f"flowops: package_tools entry point {entry.name!r} failed: {error}", file=sys.stderr)
            continue
        spec = (tools or {}).get(tool_id)
        if not spec:
            continue
        module = importlib.import_module(spec["module"])
        if spec.get("class_name"):
            return ClassTool(getattr(module, spec["class_name"]), spec["function"])
        return getattr(module, spec["function"])
    package = tool_id.split(".")[0].replace("_", "-")
    raise LookupError(
        f"the package tool '{tool_id}' is not provided by any installed python package: install '{package}' "
        f"(pip install {package}, or list it in the flow's requirements.txt) so its package_tools entry point provides it"
    )


def find_tool(file, function=None):
    if file.startswith("package:"):
        return find_package_tool(file[len("package:"):])
    module = load_module(file)
    if function and "." in function:
        # A method of a flex class entry (`Class.__aggregate__`): the instance comes from the init values.
        class_name, method = function.split(".", 1)
        cls = getattr(module, class_name, None)
        cls = cls if inspect.isclass(cls) else getattr(cls, "__wrapped__", cls)
        if not inspect.isclass(cls) or not hasattr(cls, method):
            raise LookupError(f"{Path(file).name} has no class '{class_name}' with a method '{method}'")
        tool = ClassTool(cls, method)
        tool.from_init = True
        return tool
    if function:
        target = getattr(module, function, None)
        if target is None:
            raise LookupError(f"{Path(file).name} has no function '{function}'")
        # `@trace` on a flex entry class wraps it in a function: the entry is still the class.
        original = getattr(target, "__wrapped__", None)
        return original if inspect.isclass(original) and not inspect.isclass(target) else target
    tools = [v for v in vars(module).values() if is_tool(v) and getattr(v, "__module__", None) == module.__name__]
    tools = tools or _class_tools(module)
    if not tools:
        raise LookupError(f"{Path(file).name} defines no @tool function: decorate the node's function with @tool")
    if len(tools) > 1:
        names = ", ".join(t.__name__ for t in tools)
        raise LookupError(f"{Path(file).name} defines several @tool functions ({names}): keep one per file")
    return tools[0]


def unwrap(func):
    return getattr(func, "__original_function", None) or inspect.unwrap(func)


def _annotation_name(annotation):
    if annotation is inspect.Parameter.empty:
        return None
    if isinstance(annotation, str):
        return annotation
    return getattr(annotation, "__name__", None) or str(annotation)


def _is_connection(annotation):
    if inspect.isclass(annotation):
        return any(base.__name__.endswith("Connection") for base in annotation.__mro__ if base is not object)
    if isinstance(annotation, str):
        # `Union[CustomConnection, OpenAIConnection]` or `A | B` left as text (`from __future__ import annotations`)
        names = [n.strip(" []") for n in annotation.replace("Union[", "").replace("Optional[", "").replace("|", ",").split(",")]
        return any(n.endswith("Connection") for n in names if n)
    # `Union[CustomConnection, OpenAIConnection]`, `Optional[...]`, `A | B`: any member that is a connection
    members = [a for a in typing.get_args(annotation) if a is not type(None)]
    return bool(members) and any(_is_connection(a) for a in members)


def _params(callable_, skip_self=False):
    params = []
    for index, p in enumerate(inspect.signature(callable_).parameters.values()):
        if skip_self and index == 0 and p.name == "self":
            continue
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        entry = {"name": p.name, "required": p.default is p.empty}
        if p.default is not p.empty:
            try:
                json.dumps(p.default)
                entry["default"] = p.default
            except TypeError:
                entry["default"] = repr(p.default)
        annotation = _annotation_name(p.annotation)
        if annotation:
            entry["annotation"] = annotation
            if _is_connection(p.annotation):
                entry["connection"] = True
        params.append(entry)
    return params


def describe(func):
    if isinstance(func, ClassTool) and getattr(func, "from_init", False):
        method = getattr(func.cls, func.method)
        init = _params(func.cls.__init__, skip_self=True) if func.cls.__init__ is not object.__init__ else []
        return {"name": func.__name__, "params": _params(unwrap(method), skip_self=True), "init": init}
    if isinstance(func, ClassTool):
        method = getattr(func.cls, func.method)
        init = _params(func.cls.__init__, skip_self=True) if func.cls.__init__ is not object.__init__ else []
        return {"name": func.__name__, "params": _params(unwrap(method), skip_self=True) + init}
    if inspect.isclass(func):
        init = func.__init__ if func.__init__ is not object.__init__ else None
        return {
            "name": func.__name__,
            "params": _params(func.__call__, skip_self=True),
            "init": _params(init, skip_self=True) if init else [],
        }
    return {"name": func.__name__, "params": _params(unwrap(func))}


def build_connections(func, connections):
    from connection_factory import make_connection

    hints = {}
    try:
        hints = inspect.signature(unwrap(func)).parameters
    except (TypeError, ValueError):
        pass
    built = {}
    for param, spec in (connections or {}).items():
        annotation = hints[param].annotation if param in hints else None
        built[param] = make_connection(spec, annotation)
    return built


def user_location(tb, file):
    """The deepest traceback frame inside the user's own files (not the worker or the shim)."""
    frames = traceback.extract_tb(tb)
    own = [f for f in frames if not f.filename.startswith(str(Path(__file__).resolve().parent.parent))]
    chosen = [f for f in own if f.filename == str(Path(file).resolve())] or own or frames
    if not chosen:
        return None
    frame = chosen[-1]
    return {"file": frame.filename, "line": frame.lineno, "function": frame.name}


_instances = {}


def instance_of(cls, file, init, connections):
    key = (str(Path(file).resolve()), cls.__name__, json.dumps(init, sort_keys=True, default=repr))
    if key not in _instances:
        kwargs = _typed_init(cls, dict(init or {}))
        kwargs.update(build_connections(cls.__init__, connections))
        _instances[key] = cls(**kwargs)
    return _instances[key]


def _typed_init(cls, init):
    """Init values given as JSON objects become the annotated class (e.g. a model configuration)."""
    try:
        params = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return init
    for name, value in init.items():
        annotation = params[name].annotation if name in params else None
        if isinstance(value, dict) and inspect.isclass(annotation) and hasattr(annotation, "__dataclass_fields__"):
            init[name] = annotation(**value)
    return init


def _field(record, name):
    try:
        return getattr(record, name)
    except AttributeError:
        raise KeyError(name) from None


def _field_or_default(record, name, default=None):
    return getattr(record, name, default)


def _as_call_results(cls, results):
    """promptflow hands `__aggregate__` the lines' outputs as `__call__` returned them: dicts that came
    from a dataclass return type are turned back into that dataclass (attribute access works, and
    `result["field"]` still does)."""
    import dataclasses
    import typing

    try:
        returns = typing.get_type_hints(cls.__call__).get("return")
    except Exception:  # noqa: BLE001 - unresolvable annotations: hand the values over as they are
        return results
    if not (isinstance(results, list) and dataclasses.is_dataclass(returns)):
        return results
    names = {f.name for f in dataclasses.fields(returns)}
    # A subclass that also answers `result["field"]`, for aggregations written against dicts.
    readable = type(returns.__name__, (returns,), {"__getitem__": _field, "get": _field_or_default})

    def restore(item):
        if not (isinstance(item, dict) and names.issuperset(item)):
            return item
        try:
            return readable(**item)
        except TypeError:  # a field missing from the output: keep the dict
            return item

    return [restore(item) for item in results]


# Connections named by an assistant definition's predefined_inputs: "assistant:PARAM:TOOL_INDEX:INPUT".
_ASSISTANT_CONNECTION = "assistant:"


def assistant_definitions(kwargs, connections):
    """Inputs the engine read from an assistant definition YAML become AssistantDefinition objects whose
    tool_invoker holds the listed python tools (their connection predefined_inputs built as connections)."""
    from connection_factory import make_connection

    for name, value in list(kwargs.items()):
        if not (isinstance(value, dict) and "__assistant_definition__" in value):
            continue
        from promptflow.contracts.types import AssistantDefinition

        definition = AssistantDefinition.deserialize(value["__assistant_definition__"] or {})
        made = {}
        for key, spec in connections.items():
            _, param, index, input_name = key.split(":", 3)
            if param == name:
                made[(int(index), input_name)] = lambda annotation, spec=spec: make_connection(spec, annotation)
        definition._tool_invoker = definition.init_tool_invoker(working_dir=os.getcwd(), connections=made)
        kwargs[name] = definition
    return kwargs


def run_call(request):
    from promptflow_values import message_format, to_python, typed_images

    message_format["value"] = request.get("messageFormat") or "basic"
    reset_operation_context(request.get("context"))
    # The flow's environment_variables (resolved by the engine), before the module is imported.
    os.environ.update({str(k): str(v) for k, v in (request.get("env") or {}).items()})
    func = find_tool(request["file"], request.get("function"))
    assistant_connections = {
        k: v for k, v in (request.get("connections") or {}).items() if k.startswith(_ASSISTANT_CONNECTION)
    }
    if assistant_connections:
        request["connections"] = {k: v for k, v in request["connections"].items() if k not in assistant_connections}
    kwargs = assistant_definitions(to_python(dict(request.get("inputs") or {})), assistant_connections)
    if not isinstance(func, ClassTool) and not inspect.isclass(func):
        kwargs = typed_images(unwrap(func), kwargs)
    if isinstance(func, ClassTool) and getattr(func, "from_init", False):
        connections = request.get("connections") or {}
        target = instance_of(func.cls, request["file"], request.get("init") or {}, connections)
        if func.method == "__aggregate__":
            kwargs = {name: _as_call_results(func.cls, value) for name, value in kwargs.items()}
        result = getattr(target, func.method)(**kwargs)
    elif isinstance(func, ClassTool):
        names = set(func.init_names())
        connections = request.get("connections") or {}
        init = {k: v for k, v in kwargs.items() if k in names}
        target = instance_of(func.cls, request["file"], init, {k: v for k, v in connections.items() if k in names})
        method = getattr(target, func.method)
        call_kwargs = {k: v for k, v in kwargs.items() if k not in names}
        call_kwargs.update(build_connections(method, {k: v for k, v in connections.items() if k not in names}))
        result = method(**call_kwargs)
    elif inspect.isclass(func):
        init_params = inspect.signature(func.__init__).parameters
        connections = request.get("connections") or {}
        init_connections = {k: v for k, v in connections.items() if k in init_params}
        call_connections = {k: v for k, v in connections.items() if k not in init_params}
        target = instance_of(func, request["file"], request.get("init") or {}, init_connections)
        kwargs.update(build_connections(func.__call__, call_connections))
        result = target(**kwargs)
    else:
        kwargs.update(build_connections(func, request.get("connections")))
        result = func(**kwargs)
    return emit(result, request["id"])


def _is_stream(value):
    return inspect.isgenerator(value) or inspect.isasyncgen(value) or (
        hasattr(value, "__next__") and hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict))
    ) or hasattr(value, "__anext__")


def _stream_fields(value):
    """A record (dataclass instance or dict) some of whose fields are generators: (fixed, streams)."""
    if hasattr(value, "__dataclass_fields__") and not inspect.isclass(value):
        items = {name: getattr(value, name) for name in value.__dataclass_fields__}
    elif isinstance(value, dict):
        items = value
    else:
        return None
    streams = {k: v for k, v in items.items() if _is_stream(v)}
    if not streams:
        return None
    return {k: v for k, v in items.items() if k not in streams}, streams


def _needs_loop(value):
    if inspect.isawaitable(value) or hasattr(value, "__anext__"):
        return True
    fields = _stream_fields(value)
    return bool(fields) and any(hasattr(v, "__anext__") for v in fields[1].values())


def _chunk(request_id, item, field=None):
    """A chunk message; a non-string chunk carries `text`, its str(), which promptflow joins for flow test."""
    message = {"id": request_id, "type": "chunk", "value": item}
    if field is not None:
        message["field"] = field
    if not isinstance(item, str):
        message["text"] = str(item)
    return message


def emit(result, request_id):
    """Sends a generator's items (or a record's generator fields) as chunks while they are produced."""
    if _needs_loop(result):
        return asyncio.run(_emit_async(result, request_id))
    fields = _stream_fields(result)
    if fields:
        fixed, streams = fields
        send({"id": request_id, "type": "record", "value": fixed, "streams": list(streams)})
        for name, stream in streams.items():
            for item in stream:
                send(_chunk(request_id, item, name))
        return None
    if _is_stream(result):
        for item in result:
            send(_chunk(request_id, item))
        return None
    return result


async def _emit_async(result, request_id):
    if inspect.isawaitable(result):
        result = await result
    fields = _stream_fields(result)
    if fields:
        fixed, streams = fields
        send({"id": request_id, "type": "record", "value": fixed, "streams": list(streams)})
        for name, stream in streams.items():
            async for item in _iterate(stream):
                send(_chunk(request_id, item, name))
        return None
    if _is_stream(result):
        async for item in _iterate(result):
            send(_chunk(request_id, item))
        return None
    return result


async def _iterate(stream):
    if hasattr(stream, "__anext__"):
        async for item in stream:
            yield item
    else:
        for item in stream:
            yield item


def handle(request):
    op = request.get("op")
    request_id = request.get("id")
    for folder in request.get("paths") or []:
        if folder not in sys.path:
            sys.path.append(folder)
    if op == "inspect":
        send({"id": request_id, "type": "result", "value": describe(find_tool(request["file"], request.get("function")))})
        return
    if op != "call":
        raise ValueError(f"unknown op {op!r}")
    set_current_call(request_id, send)
    try:
        value = run_call(request)
        try:
            send({"id": request_id, "type": "result", "value": value})
        except TypeError as error:
            raise TypeError(f"the tool's return value is not JSON-serializable: {error}") from None
    finally:
        set_current_call(None, None)
        forget_pending_calls()


def main():
    set_reader(read_frame)
    send({"type": "ready", "pid": os.getpid(), "promptflow": "real" if USING_REAL_PROMPTFLOW else "shim"})
    while True:
        request = read_frame()
        if request is None or request.get("op") == "shutdown":
            return
        if "call" in request and str(request.get("op", "")).startswith("prompty_"):
            continue  # the rest of a Prompty stream the tool did not read
        try:
            handle(request)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - every failure (SystemExit too) becomes a line error
            send(
                {
                    "id": request.get("id"),
                    "type": "error",
                    "error": {
                        "type": type(error).__name__,
                        "message": str(error),
                        "location": user_location(error.__traceback__, request.get("file", "")),
                    },
                }
            )


if __name__ == "__main__":
    main()
