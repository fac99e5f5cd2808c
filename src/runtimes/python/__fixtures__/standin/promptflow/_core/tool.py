import functools


def tool(func=None, **kwargs):
    def wrapper(f):
        @functools.wraps(f)
        def decorated(*args, **kw):
            return f(*args, **kw)

        decorated.__tool = None
        return decorated

    return wrapper(func) if func is not None else wrapper
