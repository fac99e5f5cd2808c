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
