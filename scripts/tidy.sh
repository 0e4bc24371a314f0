#!/usr/bin/env bash
# Runs clang-tidy (the repository's .clang-tidy, warnings as errors) over the suite's tracked C++
# sources, in parallel, against a build's compile_commands.json. Exits non-zero on any finding.
#   scripts/tidy.sh [build-dir] [--services | file...]
#     default build-dir: build/dev
#     no files:    every tracked .cc file (services, gateway, tests, bench)
#     --services:  the shipped code only: services/, gateway/ and tools/ without their tests. This is
#                  what ctest's clang_tidy runs (about half the files, so CI stays short); the
#                  suite's own headers are still checked through every file that includes them.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/dev}"
shift || true
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "no $build/compile_commands.json: configure the build first (cmake --preset dev)" >&2
  exit 2
fi
if [[ "${1:-}" == "--services" ]]; then
  mapfile -t files < <(git ls-files 'services/*.cc' 'gateway/*.cc' 'tools/*.cc' |
    grep -v -e '_test\.cc$' -e '/testing/' -e '^gateway/fuzz/')
elif (($#)); then
  files=("$@")
else
  # Every tracked source the build compiles (the fuzzers build only under the clang preset).
  mapfile -t files < <(git ls-files '*.cc' | grep -v '^gateway/fuzz/')
fi
jobs="${TIDY_JOBS:-$(nproc)}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if printf '%s\n' "${files[@]}" |
    xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet >"$log" 2>&1; then
  echo "clang-tidy: ${#files[@]} files, no findings"
else
  grep -E 'error:|warning:' "$log" | sort -u
  echo "clang-tidy found problems (above)" >&2
  exit 1
fi
