"""promptflow's OperationContext: a per-call dict of context values ("flow-id", "root-run-id", ...)."""

import threading

_local = threading.local()


class OperationContext(dict):
    """promptflow's OperationContext: `OperationContext.get_instance()` is the current call's context."""

    _DEFAULT_TRACING_KEYS = set()

    @classmethod
    def get_instance(cls):
        instance = getattr(_local, "instance", None)
        if instance is None:
            instance = cls()
            _local.instance = instance
        return instance

    def __getattr__(self, name):
        if name in self:
            return self[name]
        raise AttributeError(f"OperationContext has no {name!r}")

    def __setattr__(self, name, value):
        self[name] = value

    def get_user_agent(self):
        return self.get("user_agent", "promptflow-flowops")

    def append_user_agent(self, user_agent):
        current = self.get("user_agent", "")
        if user_agent not in current:
            self["user_agent"] = f"{current} {user_agent}".strip()

    def set_default_tracing_keys(self, keys):
        type(self)._DEFAULT_TRACING_KEYS = set(keys)

    def get_context_dict(self):
        return dict(self)


    @classmethod
    def _flowops_reset(cls, values):
        """The worker sets the context of each call (flowops internal)."""
        context = cls()
        context.update(values or {})
        _local.instance = context
