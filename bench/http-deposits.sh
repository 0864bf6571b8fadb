#!/usr/bin/env bash
# HTTP deposit throughput of one silo process in embedded mode and of one durable silo (PostgreSQL ledger, Redis,
# started by deploy/local/run-cluster.sh) in one run, with the same wrk workload: 64 connections, each request a
# deposit with its own transfer id, spread over 1,000 accounts. Prints both rates, their ratio (durable/embedded)
# and every non-200 answer (there must be none). Needs wrk (apt install wrk) and a Release build.
#
#   dotnet build src/MarginGrid.Silo -c Release
#   bench/http-deposits.sh [--seconds 30] [--connections 64] [--ledgers 1]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30 connections=64 ledgers=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --ledgers) ledgers=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--connections C] [--ledgers N]" >&2; exit 64 ;;
  esac
done

command -v wrk >/dev/null || { echo "wrk is needed: apt install wrk" >&2; exit 1; }
silo=src/MarginGrid.Silo/bin/Release/net10.0/MarginGrid.Silo.dll
[ -f "$silo" ] || { echo "build first: dotnet build src/MarginGrid.Silo -c Release" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"  # PostgreSQL runs as the postgres user when root starts it, and must reach its data folder
embedded_pid=""
finish() {
  [ -n "$embedded_pid" ] && kill "$embedded_pid" 2>/dev/null && wait "$embedded_pid" 2>/dev/null || true
  [ -f "$work/durable/cluster.env" ] && deploy/local/run-cluster.sh stop --clean --data "$work/durable" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap finish EXIT

cat > "$work/deposits.lua" <<'LUA'
-- Every request a new transfer id (run, thread, counter): a money command each, never a replay of an earlier run.
counter = 0
thread_id = 0
threads = 0
run = "run"
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
function init(args)
  run = args[1] or run
end
function request()
  counter = counter + 1
  local account = "bench-" .. ((counter * 7 + thread_id) % 1000)
  local body = string.format('{"transferId":"%s-%d-%d","asset":"USDT","amount":"1.25"}', run, thread_id, counter)
  return wrk.format("POST", "/v1/accounts/" .. account .. "/deposits", nil, body)
end
LUA
key="bench-admin-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
wait_ready() {
  for _ in $(seq 1 120); do
    curl -sf "$1/readyz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "no silo ready at $1" >&2
  return 1
}

run_wrk() {
  local name=$1 url=$2 api_key=$3
  # A warm-up (activations, JIT tiering, pools: the rate still climbs for about 20 s), then the measured run.
  wrk -t2 -c"$connections" -d20s -s "$work/deposits.lua" -H "X-Api-Key: $api_key" -H "Content-Type: application/json" "$url" -- warm >/dev/null
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/deposits.lua" -H "X-Api-Key: $api_key" \
    -H "Content-Type: application/json" "$url" -- measured > "$work/$name.txt"
  local rate p50 p99 bad
  rate=$(awk '/^Requests\/sec/ { print $2 }' "$work/$name.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$work/$name.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$work/$name.txt")
  bad=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$work/$name.txt")
  echo "$name $rate ${bad:-0} $p50 $p99" >> "$work/rates"
  printf '%-9s %10.0f deposits/s   p50 %s  p99 %s   non-200 answers %s\n' "$name" "$rate" "$p50" "$p99" "${bad:-0}"
}

echo "== embedded: one silo process, in-memory ledger; ${connections} connections, ${seconds} s"
Cluster__Mode=embedded Auth__ApiKeys__0__Key="$key" Auth__ApiKeys__0__Role=admin \
  Orleans__SiloPort=11511 Orleans__GatewayPort=30511 \
  dotnet "$silo" --urls http://127.0.0.1:7281 > "$work/embedded.log" 2>&1 &
embedded_pid=$!
wait_ready http://127.0.0.1:7281 || { tail -20 "$work/embedded.log" >&2; exit 1; }
run_wrk embedded http://127.0.0.1:7281 "$key"
kill "$embedded_pid"; wait "$embedded_pid" 2>/dev/null || true; embedded_pid=""

echo "== durable: one silo, PostgreSQL ledger ($ledgers partition(s)), Redis; ${connections} connections, ${seconds} s"
deploy/local/run-cluster.sh start --clean --data "$work/durable" --silos 1 --ledgers "$ledgers" --base-port 7300 > "$work/durable.log" 2>&1 \
  || { tail -20 "$work/durable.log" >&2; exit 1; }
durable_key=$(sed -n 's/^admin_key=//p' "$work/durable/cluster.env")
run_wrk durable http://127.0.0.1:7300 "$durable_key"

python3 - "$work/rates" <<'PY'
import sys
rates = {}
for line in open(sys.argv[1]):
    name, rate, bad, *_ = line.split()
    rates[name] = (float(rate), int(bad))
e, d = rates["embedded"][0], rates["durable"][0]
print(f"ratio durable/embedded {d / e:.2f}x")
sys.exit(0 if all(bad == 0 for _, bad in rates.values()) else 1)
PY
