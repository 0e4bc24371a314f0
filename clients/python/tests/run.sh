#!/usr/bin/env bash
# ctest python_client: generates the stubs into a temporary directory (as the package build does)
# and runs the client's tests against the real suite.
#   clients/python/tests/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
gen=$(mktemp -d)
trap 'rm -rf "$gen" "$here/build" "$here"/src/*.egg-info' EXIT
/usr/bin/python3 "$here/generate_stubs.py" "$gen"
export PYTHONPATH="$gen:$here/src" PYTHONDONTWRITEBYTECODE=1
exec /usr/bin/python3 "$here/../testing/with_suite.py" --build "$build" -- \
  /usr/bin/python3 -m unittest discover -v -s "$here/tests" -p 'test_*.py'
