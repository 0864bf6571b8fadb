#!/usr/bin/env bash
# Money-command throughput of the embedded silo and of the durable cluster, measured one after the other in one run
# with the same workload: the load test's fills (two commands each, one per leg) through the Orleans client, open-loop
# at a rate above what either can take, so that what is acknowledged per second is the capacity. Prints both rates and
# their ratio (durable/embedded).
#
#   dotnet build bench/MarginGrid.LoadTest -c Release
#   bench/command-throughput.sh [--seconds 30] [--fills 3000] [--silos 1] [--accounts 2000]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30 fills=3000 silos=1 accounts=2000
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --fills) fills=$2; shift 2 ;;
    --silos) silos=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--fills F] [--silos N] [--accounts A]" >&2; exit 64 ;;
  esac
done

dll=bench/MarginGrid.LoadTest/bin/Release/net10.0/MarginGrid.LoadTest.dll
[ -f "$dll" ] && [ -f src/MarginGrid.Silo/bin/Release/net10.0/MarginGrid.Silo.dll ] \
  || { echo "build first: dotnet build bench/MarginGrid.LoadTest -c Release" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# No shocks, no funding and no audits inside the window: the commands are the whole load.
common=(--accounts "$accounts" --markets 10 --tick-hz 1 --duration "$seconds" --shock-every 100000 --funding-every 100000
        --audits 0 --seed 11 --fills-per-second "$fills")
for cluster in embedded durable; do
  extra=(); [ "$cluster" = durable ] && extra=(--cluster durable --silos "$silos")
  echo "== $cluster: ${seconds} s, $fills fills/s asked ($((2 * fills)) commands/s)"
  dotnet "$dll" "${common[@]}" "${extra[@]}" --json "$out/$cluster.json" > "$out/$cluster.log" 2>&1 \
    || { tail -30 "$out/$cluster.log" >&2; echo "the $cluster run failed" >&2; exit 1; }
  grep -E '^(commands|journal check|reconciliation) ' "$out/$cluster.log" | sed 's/^/  /'
done

python3 - "$out/embedded.json" "$out/durable.json" "$silos" <<'PY'
import json, sys
e, d = (json.load(open(p)) for p in sys.argv[1:3])
for name, r in (("embedded", e), (f"durable ({sys.argv[3]} silo)", d)):
    l = r["commandLatencyMs"]
    print(f"{name:22} {r['commandsPerSecond']:>9,.0f} commands/s   p50 {l['p50']:.1f} ms  p99 {l['p99']:.1f} ms   lost {r['lostCommands']} duplicated {r['duplicatedCommands']}")
ratio = d["commandsPerSecond"] / e["commandsPerSecond"] if e["commandsPerSecond"] else 0
print(f"ratio durable/embedded {ratio:.2f}x")
PY
