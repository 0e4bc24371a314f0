#!/usr/bin/env bash
# ctest node_client: the Node client's tests against the real suite.
#   clients/node/test/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$here/../testing/with_suite.py" --build "$1" -- \
  node --test --test-concurrency=1 "$here/test/client.test.mjs"
