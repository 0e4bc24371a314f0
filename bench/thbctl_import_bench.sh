#!/usr/bin/env bash
# thbctl statistics import of a 1,000,000-row CSV file (10 institutions x 100,000 rows, one
# submission each) into a fresh suite on SQLite: the time of the whole import (local check, the
# service's validate_only check of every submission, then the stores) and of a --dry_run.
#   bench/thbctl_import_bench.sh [BUILD_DIR, default build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
[ -x "$BUILD/tools/thbctl/thbctl" ] || cmake --build "$BUILD" --target thbctl thb-coordinator \
  thb-commission thb-rapporteur thb-gateway
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
YEAR=$(( $(date -u +%Y) - 1 ))
/usr/bin/python3 - "$WORK" "$YEAR" <<'PY'
import itertools, sys
work, year = sys.argv[1], sys.argv[2]
indicators = ["VICTIMS_REGISTERED", "VICTIMS_IDENTIFIED", "VICTIMS_PRESUMED", "VICTIMS_ASSISTED",
              "RESIDENCE_PERMITS_GRANTED", "SUSPECTS", "PERSONS_PROSECUTED", "PERSONS_CONVICTED",
              "INVESTIGATIONS_OPENED"]
forms = [""] + ["SEXUAL_EXPLOITATION", "FORCED_LABOUR", "DOMESTIC_SERVITUDE",
                "SLAVERY_OR_SIMILAR_PRACTICES", "FORCED_CRIMINALITY", "FORCED_BEGGING",
                "FORCED_MARRIAGE", "ORGAN_REMOVAL", "ILLEGAL_ADOPTION", "CHILD_SOLDIERS",
                "SURROGACY", "MIXED", "OTHER"]
sexes = ["", "FEMALE", "MALE", "OTHER", "UNKNOWN"]
ages = ["", "CHILD", "ADULT", "UNKNOWN"]
regions = [""] + [f"XV-{i}" for i in range(1, 61)]
combos = list(itertools.islice(itertools.product(indicators, forms, sexes, ages, regions), 100000))
with open(f"{work}/institutions.csv", "w") as f:
    f.write("id,display_name,sector,kind\n")
    for i in range(10):
        f.write(f"bench-{i},Bench institution {i},LAW_ENFORCEMENT,GOVERNMENT\n")
with open(f"{work}/statistics.csv", "w") as f:
    f.write("reporting_institution,year,indicator,form,sex,age_group,region,count\n")
    for i in range(10):
        for n, (ind, form, sex, age, region) in enumerate(combos):
            f.write(f"bench-{i},{year},{ind},{form},{sex},{age},{region},{(n * 7 + i) % 500}\n")
PY
echo "file: $(($(wc -l < "$WORK/statistics.csv") - 1)) rows, $(du -h "$WORK/statistics.csv" | cut -f1)"
export THBCTL="$PWD/$BUILD/tools/thbctl/thbctl" WORK
/usr/bin/python3 clients/testing/with_suite.py --build "$BUILD" -- bash -c '
  set -euo pipefail
  OFFICE=$("$THBCTL" token --key_file="$THB_KEY_FILE" --roles=coordinator_office)
  RAPPORTEUR=$("$THBCTL" token --key_file="$THB_KEY_FILE" --roles=rapporteur_office)
  THB_TOKEN=$OFFICE "$THBCTL" institutions import "$WORK/institutions.csv" > /dev/null
  s=$(date +%s.%N)
  THB_TOKEN=$RAPPORTEUR "$THBCTL" statistics import "$WORK/statistics.csv" --dry_run --progress=lines 2>/dev/null
  e=$(date +%s.%N)
  echo "dry run: $(echo "$e - $s" | bc) s"
  s=$(date +%s.%N)
  THB_TOKEN=$RAPPORTEUR "$THBCTL" statistics import "$WORK/statistics.csv" --progress=lines 2>/dev/null | tail -1
  e=$(date +%s.%N)
  echo "import: $(echo "$e - $s" | bc) s"
  s=$(date +%s.%N)
  THB_TOKEN=$RAPPORTEUR "$THBCTL" statistics import "$WORK/statistics.csv" --progress=lines 2>/dev/null | tail -1
  e=$(date +%s.%N)
  echo "re-run (every submission a retry): $(echo "$e - $s" | bc) s"
  echo "rapporteur RSS after: $(ps -o rss= -C thb-rapporteur | head -1) KiB"
'
