"""The call in progress, so that log_metric and @trace inside a tool can report to the engine."""

import threading

_state = threading.local()


def set_current_call(request_id, send):
    _state.request_id = request_id
    _state.send = send


def current_call():
    return getattr(_state, "request_id", None), getattr(_state, "send", None)


def log_metric(key, value, variant_id=None):
    request_id, send = current_call()
    if send is None:
        return
    send({"id": request_id, "type": "metric", "name": str(key), "value": float(value), "variant": variant_id})


def report_span(name, start, end, inputs, output, error=None):
    request_id, send = current_call()
    if send is None:
        return
    span = {"id": request_id, "type": "span", "name": name, "start": start, "end": end, "inputs": inputs}
    try:
        send({**span, "output": output, **({"error": error} if error else {})})
    except TypeError:
        send({**span, "output": repr(output), **({"error": error} if error else {})})


# --- Prompty calls back to the engine -------------------------------------------------------------
# Python code runs a .prompty through the engine (flowops' model port), not a Python SDK: the worker
# sends {"type": "prompty", "call": n, ...} and reads the engine's answer frames for that call from
# stdin. Frames for another call (two prompty streams read in turn) wait in a per-call buffer.

_reader = {"read": None}
_buffers = {}
_next_call = [0]


def set_reader(read_frame):
    _reader["read"] = read_frame


def _next_frame(call):
    pending = _buffers.get(call)
    if pending:
        return pending.pop(0)
    while True:
        frame = _reader["read"]() if _reader["read"] else None
        if frame is None:
            raise RuntimeError("the flowops engine closed the channel while a Prompty call was waiting")
        if frame.get("call") == call:
            return frame
        _buffers.setdefault(frame.get("call"), []).append(frame)


class PromptyCallError(Exception):
    """A Prompty run by the engine failed (bad inputs, model error): the engine's message."""


def call_prompty(file, inputs, model=None, render=False):
    """Runs a prompty through the engine; returns its output, or a generator of chunks if it streams."""
    request_id, send = current_call()
    if send is None:
        raise RuntimeError("Prompty can only be called while flowops runs a flow (inside a tool or flex entry)")
    _next_call[0] += 1
    call = _next_call[0]
    message = {"id": request_id, "type": "prompty", "call": call, "file": str(file), "inputs": inputs}
    if model:
        message["model"] = model
    if render:
        message["render"] = True
    send(message)
    first = _next_frame(call)
    op = first.get("op")
    if op == "prompty_result":
        return first.get("value")
    if op == "prompty_error":
        _raise(first)
    if op == "prompty_stream":
        return _chunks(call)
    raise RuntimeError(f"unexpected answer to a Prompty call: {op!r}")


def _chunks(call):
    while True:
        frame = _next_frame(call)
        op = frame.get("op")
        if op == "prompty_chunk":
            yield frame.get("value")
        elif op == "prompty_end":
            _buffers.pop(call, None)
            return
        elif op == "prompty_error":
            _raise(frame)
        else:
            raise RuntimeError(f"unexpected frame in a Prompty stream: {op!r}")


def _raise(frame):
    error = frame.get("error") or {}
    if error.get("type") == "MissingRequiredInput":
        from promptflow.core._errors import MissingRequiredInputError

        raise MissingRequiredInputError(error.get("message", "Missing required inputs"))
    raise PromptyCallError(f"{error.get('type', 'Error')}: {error.get('message', 'the prompty failed')}")


def forget_pending_calls():
    """Called when a request ends: answers nobody read (an unread stream) are dropped."""
    _buffers.clear()


def reset_operation_context(values):
    """promptflow's OperationContext for this call ("flow-id", "root-run-id", ...), shim or real package."""
    try:
        from promptflow._core.operation_context import OperationContext
    except ImportError:
        return
    if hasattr(OperationContext, "_flowops_reset"):
        OperationContext._flowops_reset(values)
    else:
        OperationContext.get_instance().update(values or {})
