#!/usr/bin/env bash
# Sets up, builds (release preset) and runs the whole suite locally on SQLite: the coordinator,
# commission and rapporteur services and the HTTP gateway, with demo data on first start.
# State lives in .run/ (databases, the development signing key, logs). Ctrl-C stops everything.
#
# Ports (override with the environment): gateway 8080, gRPC 50051-50053, metrics 9451-9453.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release

BIN=build/release
RUN=.run
mkdir -p "$RUN"
GATEWAY_PORT=${GATEWAY_PORT:-8080}
COORDINATOR_PORT=${COORDINATOR_PORT:-50051}
COMMISSION_PORT=${COMMISSION_PORT:-50052}
RAPPORTEUR_PORT=${RAPPORTEUR_PORT:-50053}
HOST=${HOST:-127.0.0.1}

# A development signing key, made once. Real deployments verify tokens of their identity
# provider instead (--jwt_public_key_file).
[ -s "$RUN/hs256.key" ] || (umask 077; head -c 48 /dev/urandom | base64 -w0 > "$RUN/hs256.key")
fresh=0
[ -f "$RUN/coordinator.db" ] || fresh=1

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo; echo "stopping..."
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Starts a binary with its log in .run/<name>.log and waits for its "listening" line.
start() {
  local name=$1; shift
  : > "$RUN/$name.log"
  "$@" >> "$RUN/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 200); do
    grep -q '"msg":"listening"' "$RUN/$name.log" && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$RUN/$name.log"; echo "$name failed to start"; exit 1; }
    sleep 0.05
  done
  cat "$RUN/$name.log"; echo "$name did not start in time"; exit 1
}

common=(--jwt_hs256_key_file="$RUN/hs256.key")
start coordinator "$BIN/services/coordinator/thb-coordinator" "${common[@]}" \
  --listen="$HOST:$COORDINATOR_PORT" --admin_listen="$HOST:9451" --db="$RUN/coordinator.db"
start commission "$BIN/services/commission/thb-commission" "${common[@]}" \
  --listen="$HOST:$COMMISSION_PORT" --admin_listen="$HOST:9452" --db="$RUN/commission.db" \
  --coordinator_target="$HOST:$COORDINATOR_PORT"
start rapporteur "$BIN/services/rapporteur/thb-rapporteur" "${common[@]}" \
  --listen="$HOST:$RAPPORTEUR_PORT" --admin_listen="$HOST:9453" --db="$RUN/rapporteur.db" \
  --coordinator_target="$HOST:$COORDINATOR_PORT" --commission_target="$HOST:$COMMISSION_PORT" \
  --rapporteur_institution=institutions/ombudsperson --statistics_country=XVD
# The web portal at /, with the development sign-in link below (only because the services verify
# the development key here; a real deployment signs in with its identity provider: docs/DEPLOY.md).
start gateway "$BIN/gateway/thb-gateway" --listen="$HOST:$GATEWAY_PORT" \
  --coordinator_target="$HOST:$COORDINATOR_PORT" --commission_target="$HOST:$COMMISSION_PORT" \
  --rapporteur_target="$HOST:$RAPPORTEUR_PORT" --ui_dir="$BIN/webui" --ui_dev_sign_in

token() { "$BIN/tools/thbctl/thbctl" token --key_file="$RUN/hs256.key" "$@"; }
OFFICE=$(token --sub=coordinator-office --roles=coordinator_office)
GW="http://$HOST:$GATEWAY_PORT"

if [ "$fresh" = 1 ]; then
  echo "seeding the fictional demo data set (demo/fictional-state.json)..."
  /usr/bin/python3 scripts/seed_demo.py --gateway "$GW" --key "$RUN/hs256.key" \
    --thbctl "$BIN/tools/thbctl/thbctl" --data demo/fictional-state.json
fi

cat <<EOT

THB Suite is running (logs and data in $RUN/):
  web portal           $GW/
  sign in to the staff console as the Co-ordinator's office (development key; valid 8 hours):
                       $GW/#dev-token=$OFFICE
  gateway (HTTP/JSON)  $GW           health $GW/healthz  readiness $GW/readyz  metrics $GW/metrics
  coordinator (gRPC)   $HOST:$COORDINATOR_PORT    metrics http://$HOST:9451/metrics
  commission (gRPC)    $HOST:$COMMISSION_PORT    metrics http://$HOST:9452/metrics
  rapporteur (gRPC)    $HOST:$RAPPORTEUR_PORT    metrics http://$HOST:9453/metrics

A development token for the Co-ordinator's office (valid 8 hours):
  export TOKEN=$OFFICE
Try:
  curl $GW/v1/coordinator/institutions
  curl -X POST $GW/v1/coordinator/institutions -H "Authorization: Bearer \$TOKEN" \\
       -H 'Content-Type: application/json' \\
       -d '{"displayName":"Border Police","sector":"SECTOR_IMMIGRATION_AND_BORDER","kind":"INSTITUTION_KIND_GOVERNMENT"}'
  curl $GW/v1/commission/members
  curl $GW/v1/coordinator/plans/nap-2025-2027:progress -H "Authorization: Bearer \$TOKEN"
  curl $GW/v1/coordinator/plans/nap-2025-2027:publicReport
More tokens: $BIN/tools/thbctl/thbctl token --key_file=$RUN/hs256.key --roles=ROLE[,ROLE] [--institution=institutions/ID]

Press Ctrl-C to stop.
EOT
wait
