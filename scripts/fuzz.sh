#!/usr/bin/env bash
# Builds the gateway's libFuzzer targets with clang (preset "fuzz": ASan + UBSan) and runs each
# for a bounded time from the seed corpus in gateway/fuzz/corpus (new inputs go to a temp copy).
# A crash, leak, hang or sanitizer report fails the script and leaves the reproducer in the
# temp directory it names. Usage: scripts/fuzz.sh [seconds per target, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-20}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
WORK=$(mktemp -d)
for target in route json_body http_request; do
  mkdir -p "$WORK/$target"
  cp gateway/fuzz/corpus/$target/* "$WORK/$target/"
  echo "fuzzing $target for ${SECONDS_PER_TARGET}s"
  # The whole report is kept: on a finding it is printed from the sanitizer's first line on.
  if ! (cd "$WORK" && "$OLDPWD/build/fuzz/gateway/thb_fuzz_$target" -max_total_time="$SECONDS_PER_TARGET" \
     -timeout=10 -rss_limit_mb=2048 -seed=1 -print_final_stats=1 "$WORK/$target" >"$WORK/$target.log" 2>&1); then
    sed -n '/==[0-9]*==\|^[a-z]*: \|ERROR\|deadly signal/,$p' "$WORK/$target.log" | head -80
    echo "fuzzer $target found a problem; reproducer and log in $WORK" >&2
    exit 1
  fi
  tail -6 "$WORK/$target.log"
done
rm -rf "$WORK"
