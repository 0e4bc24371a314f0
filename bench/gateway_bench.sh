#!/usr/bin/env bash
# The gateway's cost: GetInstitution directly over gRPC (h2load) against the same RPC as
# GET /v1/coordinator/institutions/bench through the gateway (wrk, keep-alive), on one machine in
# one run. Saturation runs keep the same number of requests in flight on both paths (128: h2load
# 32 connections x 4 streams, wrk 128 connections; HTTP/1.1 has one request per connection). The
# two paths alternate for several rounds and the medians are reported, so a drift in the
# machine's speed during the run does not favour either side. p50 latency at moderate load: 4
# requests in flight. The coordinator's grpc_server_handled_total confirms the calls succeeded
# (h2load counts gRPC errors as successes).
# Usage: bench/gateway_bench.sh [seconds per run, default 5] [rounds, default 5]
#        [wrk connections, default 128: as many requests in flight as h2load's]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
ROUNDS=${2:-5}
CONNECTIONS=${3:-128}
BIN=build/release
cmake --preset release >/dev/null
cmake --build "$BIN" --target thb-coordinator thb-gateway thbctl >/dev/null
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
head -c 48 /dev/urandom | base64 -w0 > "$WORK/key"

# Free ports picked here: with --log_level=warning (no per-request log lines, as in
# production) the "listening" line that names port-0 addresses is not written.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GRPC=127.0.0.1:$(free_port); ADMIN=127.0.0.1:$(free_port); HTTP=127.0.0.1:$(free_port)
"$BIN/services/coordinator/thb-coordinator" --listen="$GRPC" --admin_listen="$ADMIN" \
  --db="$WORK/c.db" --jwt_hs256_key_file="$WORK/key" --log_level=warning > "$WORK/c.log" 2>&1 &
"$BIN/gateway/thb-gateway" --listen="$HTTP" --coordinator_target="$GRPC" \
  --commission_target=127.0.0.1:1 --rapporteur_target=127.0.0.1:1 --log_level=warning > "$WORK/g.log" 2>&1 &
until curl -sf "http://$HTTP/healthz" >/dev/null && curl -sf "http://$ADMIN/metrics" >/dev/null; do sleep 0.1; done

OFFICE=$("$BIN/tools/thbctl/thbctl" token --key_file="$WORK/key" --roles=coordinator_office --ttl=2h)
curl -sf -X POST "http://$HTTP/v1/coordinator/institutions?institutionId=bench" -H "Authorization: Bearer $OFFICE" \
  -H 'Content-Type: application/json' \
  -d '{"displayName":"Benchmark Institution","sector":"SECTOR_GOVERNMENT_POLICY","kind":"INSTITUTION_KIND_GOVERNMENT"}' >/dev/null

# The gRPC request as h2load sends it: 5-byte frame header + GetInstitutionRequest{name}.
/usr/bin/python3 -c '
import struct, sys
name = b"institutions/bench"
msg = b"\x0a" + bytes([len(name)]) + name
sys.stdout.buffer.write(b"\x00" + struct.pack(">I", len(msg)) + msg)' > "$WORK/req.bin"
ok_count() {
  curl -s "http://$ADMIN/metrics" | grep 'grpc_server_handled_total' | grep 'GetInstitution' |
    grep 'grpc_code="OK"' | awk '{print $2}'
}
h2() { # $1 clients, $2 streams per client
  h2load -c "$1" -m "$2" -t 1 -D "$SECONDS_PER_RUN" -d "$WORK/req.bin" --log-file="$WORK/h2.log" \
    -H 'content-type: application/grpc' -H 'te: trailers' "http://$GRPC/thb.coordinator.v1.CoordinatorService/GetInstitution"
}
p50_h2() { awk '{print $3}' "$WORK/h2.log" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int(NR/2)+1]/1000}'; }

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
before=$(ok_count)
direct_all=""; gw_all=""; direct_p50_all=""; gw_p50_all=""; non2xx=0; sent=0
for round in $(seq "$ROUNDS"); do
  d_out=$(h2 32 4)
  d=$(echo "$d_out" | awk '/finished in/ {print $4}' | tr -d ',')
  sent=$(( sent + $(echo "$d_out" | awk '/^requests:/ {print $2}') ))
  g_out=$(wrk -t 1 -c "$CONNECTIONS" -d "${SECONDS_PER_RUN}s" "http://$HTTP/v1/coordinator/institutions/bench")
  g=$(echo "$g_out" | awk '/Requests\/sec/ {print $2}')
  sent=$(( sent + $(echo "$g_out" | awk '/requests in/ {print $1}') ))
  rm -f "$WORK/h2.log"
  sent=$(( sent + $(h2 4 1 | awk '/^requests:/ {print $2}') ))
  dp=$(p50_h2)
  gm_out=$(wrk -t 1 -c 4 -d "${SECONDS_PER_RUN}s" --latency "http://$HTTP/v1/coordinator/institutions/bench")
  gp=$(echo "$gm_out" | awk '$1 == "50%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; printf "%.3f", v}')
  sent=$(( sent + $(echo "$gm_out" | awk '/requests in/ {print $1}') ))
  non2xx=$(( non2xx + $(echo "$g_out$gm_out" | awk '/Non-2xx/ {s += $NF} END {print s + 0}') ))
  echo "round $round: direct $d req/s, gateway $g req/s; p50 direct $dp ms, gateway $gp ms"
  direct_all="$direct_all $d"; gw_all="$gw_all $g"; direct_p50_all="$direct_p50_all $dp"; gw_p50_all="$gw_p50_all $gp"
done
direct_ok=$(( $(ok_count) - before ))  # both paths reach the coordinator
direct_sat=$(echo "$direct_all" | median); gw_sat=$(echo "$gw_all" | median)
direct_p50=$(echo "$direct_p50_all" | median); gw_p50=$(echo "$gw_p50_all" | median)

echo "median of $ROUNDS rounds:"
echo "direct gRPC (h2load, 32 connections x 4 streams): $direct_sat req/s"
echo "gateway HTTP (wrk, $CONNECTIONS keep-alive connections):   $gw_sat req/s (non-2xx: $non2xx)"
awk -v g="$gw_sat" -v d="$direct_sat" 'BEGIN {printf "ratio gateway / direct:                            %.2f\n", g / d}'
echo "p50 at moderate load (4 in flight): direct ${direct_p50} ms, gateway ${gw_p50} ms, added $(awk -v g="$gw_p50" -v d="$direct_p50" 'BEGIN {printf "%.3f", g - d}') ms"
echo "OK answers at the coordinator: $direct_ok; requests the tools counted: $sent (calls cut off at the end of a timed run reach the coordinator uncounted)"
