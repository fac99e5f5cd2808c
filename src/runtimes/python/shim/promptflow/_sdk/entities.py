"""promptflow._sdk.entities for flowops: the connection classes flows import from the devkit's path."""

from promptflow.connections import *  # noqa: F401,F403
