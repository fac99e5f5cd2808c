import functools
import inspect
import time

from flowops_context import report_span


def trace(func=None):
    """promptflow's @trace: runs the function unchanged and reports a span to the engine."""

    def wrapper(f):
        if inspect.iscoroutinefunction(f):
            @functools.wraps(f)
            async def traced_async(*args, **kwargs):
                start = time.time()
                try:
                    output = await f(*args, **kwargs)
                except Exception as error:
                    report_span(f.__qualname__, start, time.time(), _inputs(f, args, kwargs), None, str(error))
                    raise
                report_span(f.__qualname__, start, time.time(), _inputs(f, args, kwargs), output)
                return output

            return traced_async

        @functools.wraps(f)
        def traced(*args, **kwargs):
            start = time.time()
            try:
                output = f(*args, **kwargs)
            except Exception as error:
                report_span(f.__qualname__, start, time.time(), _inputs(f, args, kwargs), None, str(error))
                raise
            report_span(f.__qualname__, start, time.time(), _inputs(f, args, kwargs), output)
            return output

        return traced

    return wrapper(func) if func is not None else wrapper


def _inputs(f, args, kwargs):
    try:
        bound = inspect.signature(f).bind_partial(*args, **kwargs)
        return {k: v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else repr(v)
                for k, v in bound.arguments.items()}
    except TypeError:
        return {}


def start_trace(*args, **kwargs):
    """No-op: flowops exports traces itself (OTLP / local store)."""


class ThreadPoolExecutorWithContext:
    """promptflow's ThreadPoolExecutorWithContext: threads keep the call's context, so @trace spans and
    log_metric inside them still reach the flow."""

    def __new__(cls, *args, **kwargs):
        from concurrent.futures import ThreadPoolExecutor

        from flowops_context import current_call, set_current_call

        request_id, send = current_call()
        initializer = kwargs.pop("initializer", None)
        initargs = kwargs.pop("initargs", ())

        def init(*a):
            set_current_call(request_id, send)
            if initializer:
                initializer(*a)

        return ThreadPoolExecutor(*args, initializer=init, initargs=initargs, **kwargs)
