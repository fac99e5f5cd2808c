"""promptflow._sdk for flowops: only `entities` (the connection classes), which flows import from here."""
