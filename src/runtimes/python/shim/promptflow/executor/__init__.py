"""promptflow.executor: the parts flows import directly (the assistant tool invoker)."""
