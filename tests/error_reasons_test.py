#!/usr/bin/env python3
"""Every refusal reason the contract lists (protos/thb/type/v1/errors.proto) is one the services
can give, and every reason the services give is listed: the list is the documentation clients
rely on, so neither may drift from the code."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
proto = (root / "protos/thb/type/v1/errors.proto").read_text()
listed = set(re.findall(r"^\s+ERROR_REASON_([A-Z0-9_]+) = \d+;", proto, re.M)) - {"UNSPECIFIED"}
code = "\n".join(p.read_text() for p in (root / "services").rglob("*.[ch]*")
                 if not p.name.endswith("_test.cc") and "testing" not in p.parts)
used = set(re.findall(r"ERROR_REASON_([A-Z0-9_]+)", code)) - {"UNSPECIFIED"}
# The generic reasons are given by ToGrpcStatus from the status code (errors.cc names them too).
unused = sorted(listed - used)
unlisted = sorted(used - listed)
if unused or unlisted:
    print("listed but never given:", unused)
    print("given but not listed:", unlisted)
    sys.exit(1)
if len(listed) < 30:
    sys.exit(f"only {len(listed)} reasons found: the scan is broken")
print(f"{len(listed)} reasons, each listed and given")
