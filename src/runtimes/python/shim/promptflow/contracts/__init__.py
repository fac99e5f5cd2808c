"""promptflow.contracts for flowops's python worker: the public types flows import (written for flowops)."""
