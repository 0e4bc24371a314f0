#!/usr/bin/env bash
# Records the contracts as released: protos/breaking-baseline.binpb, the image `buf breaking`
# (ctest buf_breaking) compares every build against. Run it only when a release deliberately
# changes the contracts, and say so in the commit.
#   scripts/contracts-baseline.sh [build dir, default build/dev]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
cmake --build "$build" --target thb_descriptor_set
node_modules/.bin/buf build "$build/thb_descriptor_set.binpb" --exclude-source-info \
  -o protos/breaking-baseline.binpb
echo "recorded protos/breaking-baseline.binpb"
