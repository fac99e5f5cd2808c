import functools
import inspect

STREAMING_OPTION_PARAMETER_ATTR = "_streaming_option_parameter"


def tool(func=None, *, name=None, description=None, type=None, input_settings=None,
         streaming_option_parameter=None, **kwargs):
    """promptflow's @tool: marks the function the engine calls for a python node."""

    def wrapper(f):
        if inspect.iscoroutinefunction(f):
            @functools.wraps(f)
            async def decorated(*args, **kw):
                return await f(*args, **kw)
        else:
            @functools.wraps(f)
            def decorated(*args, **kw):
                return f(*args, **kw)
        setattr(decorated, "__tool", None)
        decorated.__original_function = f
        decorated._flowops_tool = True
        setattr(decorated, STREAMING_OPTION_PARAMETER_ATTR, streaming_option_parameter)
        return decorated

    return wrapper(func) if func is not None else wrapper
