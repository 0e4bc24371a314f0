#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds THB Suite (dev preset) and runs every test with ctest:
# unit tests, in-process service tests, the end-to-end test of the four binaries, buf lint; then
# a short bounded run of the gateway's fuzzers (clang, libFuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset dev
cmake --build --preset dev
ctest --preset dev -j"$(nproc)"
scripts/fuzz.sh 20
