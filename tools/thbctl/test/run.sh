#!/usr/bin/env bash
# ctest thbctl_e2e: thbctl against the four real binaries.
#   tools/thbctl/test/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
export THBCTL="$build/tools/thbctl/thbctl" PYTHONDONTWRITEBYTECODE=1
exec /usr/bin/python3 "$here/../../../clients/testing/with_suite.py" --build "$build" -- \
  /usr/bin/python3 -m unittest discover -v -s "$here" -p thbctl_e2e.py
