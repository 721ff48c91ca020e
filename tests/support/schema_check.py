"""Validates instances against qmwire's JSON Schemas with Python's `jsonschema` package.

Reads JSON lines `{"schema": PATH, "instance": VALUE}` on standard input (PATH relative to the
repository's schemas/ folder) and prints one line per instance: `valid` or `invalid`. Exits 3
when the `jsonschema` package is missing, so the caller can tell that apart from a failure.
"""
import json
import sys
from pathlib import Path

try:
    import jsonschema
except ImportError:
    sys.exit(3)

root = Path(sys.argv[1])
validators = {}
for line in sys.stdin:
    case = json.loads(line)
    path = case["schema"]
    if path not in validators:
        schema = json.loads((root / path).read_text(encoding="utf-8"))
        validators[path] = jsonschema.Draft202012Validator(schema)
    valid = validators[path].is_valid(case["instance"])
    print("valid" if valid else "invalid")
