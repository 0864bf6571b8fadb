#!/usr/bin/env bash
# What a liquidation costs in CPU on this machine, and so the step rate its cores could sustain at best. Runs the
# durable crash scenario twice with the same seed and workload, once with the crash and once without, and counts
# the whole machine's busy CPU-seconds (every silo, PostgreSQL, Redis and the load test: /proc/stat) from the start
# of the measured window until the cascade has drained. The crash run's CPU beyond what the calm run spends in the
# same phases, divided by its liquidations and by its steps, is their cost; 1,000 ms × cores over a step's cost is
# the steps/s this machine could give liquidations if nothing else ran.
#
#   dotnet build MarginGrid.sln -c Release
# On a machine that the calm run already saturates, the crash's work only displaces other work and no cost can be
# separated: the script says so; lower the calm load (--fills) to measure it.
#
#   bench/cascade-cpu.sh [--accounts 20000] [--silos 3] [--crash 20] [--fills 200]
set -euo pipefail
cd "$(dirname "$0")/.."

accounts=20000 silos=3 crash=20 fills=200
while [ $# -gt 0 ]; do
  case "$1" in
    --accounts) accounts=$2; shift 2 ;;
    --silos) silos=$2; shift 2 ;;
    --crash) crash=$2; shift 2 ;;
    --fills) fills=$2; shift 2 ;;
    *) echo "usage: $0 [--accounts N] [--silos N] [--crash P] [--fills F]" >&2; exit 64 ;;
  esac
done

dll=bench/MarginGrid.LoadTest/bin/Release/net10.0/MarginGrid.LoadTest.dll
[ -f "$dll" ] && [ -f src/MarginGrid.Silo/bin/Release/net10.0/MarginGrid.Silo.dll ] \
  || { echo "build first: dotnet build MarginGrid.sln -c Release" >&2; exit 1; }
out=$(mktemp -d)
sampler=
trap '[ -n "$sampler" ] && kill "$sampler" 2>/dev/null; rm -rf "$out"' EXIT

# The machine's busy and total jiffies once a second, with the time: the window is cut from this afterwards.
sample() {
  while :; do
    printf '%s ' "$(date +%s.%N)"
    head -1 /proc/stat
    sleep 1
  done
}

common=(--cluster durable --silos "$silos" --accounts "$accounts" --markets 50 --tick-hz 1 --duration 60
        --fills-per-second "$fills" --funding-every 30 --audits 0 --seed 7)
for run in calm crash; do
  fall=0; [ "$run" = crash ] && fall=$crash
  echo "== $run: $accounts accounts, $silos silos, crash ${fall}%"
  sample > "$out/$run.stat" & sampler=$!
  dotnet "$dll" "${common[@]}" --crash "$fall" --json "$out/$run.json" 2>&1 \
    | while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done > "$out/$run.log" \
    || { tail -30 "$out/$run.log" >&2; echo "the $run run failed" >&2; exit 1; }
  kill "$sampler"; sampler=
  grep -E ' (cluster|liquidations|breach→action|tick→margin|reconciliation) ' "$out/$run.log" | cut -d' ' -f2- | sed 's/^/  /'
done

python3 - "$out" "$(nproc)" <<'PY'
import json, sys
out, cores = sys.argv[1], int(sys.argv[2])

def window(run):
    """Busy CPU-seconds and wall seconds from the first 'run' progress line to the end of the cascade wait."""
    lines = [l.split(' ', 1) for l in open(f"{out}/{run}.log")]
    start = next(float(t) for t, l in lines if l.startswith('warm-up:'))
    end = next(float(t) for t, l in lines if l.startswith('liquidations still running'))
    hz = 100.0
    samples = []
    for l in open(f"{out}/{run}.stat"):
        f = l.split()
        t, j = float(f[0]), [int(x) for x in f[2:]]
        samples.append((t, sum(j) - j[3] - j[4], sum(j)))  # busy = all but idle and iowait
    a = max((s for s in samples if s[0] <= start), key=lambda s: s[0])
    b = min((s for s in samples if s[0] >= end), key=lambda s: s[0])
    return (b[1] - a[1]) / hz, b[0] - a[0]

calm_cpu, calm_s = window("calm")
crash_cpu, crash_s = window("crash")
calm, crash = (json.load(open(f"{out}/{run}.json")) for run in ("calm", "crash"))
steps = {run: sum(r["liquidationSteps"].values()) for run, r in (("calm", calm), ("crash", crash))}
print(f"calm   {calm_cpu:8.1f} busy cpu-s in {calm_s:6.1f} s ({calm_cpu / calm_s * 100:.0f}% of {cores * 100}%), "
      f"{calm['liquidations']:,} liquidations, {steps['calm']:,} steps (a random walk breaches some)")
print(f"crash  {crash_cpu:8.1f} busy cpu-s in {crash_s:6.1f} s ({crash_cpu / crash_s * 100:.0f}% of {cores * 100}%), "
      f"{crash['liquidations']:,} liquidations, {steps['crash']:,} steps, peak {crash['liquidationsPerSecond']} steps/s")
# Both windows hold the same phases (60 s of ticks and fills, the final audit); the crash run's may be longer by
# its cascade's drain, during which the calm work (the mark feed) goes on.
extra = crash_cpu - calm_cpu - max(0.0, crash_s - calm_s) * calm_cpu / calm_s
saturated = [run for run, cpu, secs in (("calm", calm_cpu, calm_s), ("crash", crash_cpu, crash_s)) if cpu / secs > 0.95 * cores]
more_liquidations = crash["liquidations"] - calm["liquidations"]
more_steps = steps["crash"] - steps["calm"]
if saturated:
    print(f"saturated ({', '.join(saturated)} run above 95% of every core): the cascade's CPU cannot be told apart from "
          "the work it displaced; run again with less calm load (--fills)")
elif more_steps > 0 and extra > 0:
    per_step = extra * 1000 / more_steps
    print(f"the crash's {more_liquidations:,} more liquidations ({more_steps:,} more steps) cost {extra:.1f} cpu-s more: "
          f"{extra * 1000 / max(1, more_liquidations):.1f} ms per liquidation, {per_step:.1f} ms per step")
    print(f"ceiling on {cores} cores with nothing else running: {cores * 1000 / per_step:,.0f} steps/s")
else:
    print("the crash run did not cost more than the calm one: no per-step figure")
PY
