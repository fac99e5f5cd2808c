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


class ToolProvider:
    """promptflow's base for class-based tools: `__init__` takes the connection (and other init inputs),
    the `@tool` method takes the rest. The worker builds one instance per init values and reuses it."""

    def __init__(self, *args, **kwargs):
        pass

    @classmethod
    def get_initialize_inputs(cls):
        import inspect

        return {name: p for name, p in inspect.signature(cls.__init__).parameters.items() if name != "self"}
