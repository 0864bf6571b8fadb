#!/usr/bin/env bash
# A durable MarginGrid cluster on this machine, on loopback only: PostgreSQL (the ledger) and Redis
# (membership, grain state, reminders; append-only file on) in a scratch folder, and N silos from the
# built output with their own silo, gateway and HTTP ports, talking mutual TLS with throw-away certificates
# (deploy/tls/make-certs.sh) made in the scratch folder. Waits until every silo is ready, prints where
# everything is, and on exit (Ctrl-C) stops everything it started, by PID.
#
#   deploy/local/run-cluster.sh [--silos N] [--http-port P] [--keep] [--help]
set -euo pipefail

silos=3
http_base=5101
silo_base=11111
gateway_base=30000
pg_port=55432
redis_port=56379
keep=0

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos="$2"; shift 2 ;;
    --http-port) http_base="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$silos" =~ ^[1-9][0-9]?$ ]] || { echo "--silos takes 1..99" >&2; exit 2; }

root="$(cd "$(dirname "$0")/../.." && pwd)"
silo_dll="$root/src/MarginGrid.Silo/bin/Release/net10.0/MarginGrid.Silo.dll"
as_root=0; [ "$(id -u)" -eq 0 ] && as_root=1

say() { printf '%s\n' "$*"; }
die() { printf 'run-cluster: %s\n' "$*" >&2; exit 1; }

# What we need: the .NET SDK, PostgreSQL 15 binaries, Redis (installed with apt when missing and root).
command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is required"
command -v openssl >/dev/null || die "openssl is required for the cluster's certificates (apt-get install openssl)"
pg_bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)")"
[ -x "$pg_bin/pg_isready" ] || pg_bin="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
[ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries (initdb, postgres) not found; apt-get install postgresql"
if ! command -v redis-server >/dev/null; then
  [ $as_root -eq 1 ] || die "redis-server not found; sudo apt-get install -y redis-server"
  say "installing redis-server with apt..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null 2>&1; } \
    || die "could not install redis-server"
fi
if [ ! -f "$silo_dll" ] || [ -n "$(find "$root/src" -name '*.cs' -newer "$silo_dll" -print -quit)" ]; then
  say "building the silo (Release)..."
  dotnet build "$root/src/MarginGrid.Silo/MarginGrid.Silo.csproj" -c Release -nologo -v quiet >/dev/null || die "build failed"
fi

scratch="$(mktemp -d /tmp/margingrid-cluster.XXXXXX)"
chmod 755 "$scratch"
silo_pids=(); redis_pid=""; pg_pid=""

cleanup() {
  trap - EXIT INT TERM
  say ""; say "stopping the cluster..."
  for pid in "${silo_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${silo_pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "$redis_pid" ] && { kill -TERM "$redis_pid" 2>/dev/null || true; }
  [ -n "$pg_pid" ] && { kill -INT "$pg_pid" 2>/dev/null || true; }
  for pid in $redis_pid $pg_pid; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ $keep -eq 1 ]; then say "kept $scratch"; else rm -rf "$scratch"; fi
  say "stopped."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $pg_port $redis_port; do port_free "$p" || die "port $p is in use"; done
for i in $(seq 0 $((silos - 1))); do
  for p in $((http_base + i)) $((silo_base + i)) $((gateway_base + i)); do port_free "$p" || die "port $p is in use"; done
done

# PostgreSQL: initdb refuses to run as root, so root runs it as the postgres user.
pg_run() { if [ $as_root -eq 1 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$scratch/pg" "$scratch/pg-socket"
[ $as_root -eq 1 ] && chown postgres "$scratch/pg" "$scratch/pg-socket"
pg_run "$pg_bin/initdb" -D "$scratch/pg/data" -U margingrid --auth=trust -E UTF8 >"$scratch/pg/initdb.log" 2>&1 \
  || die "initdb failed: see $scratch/pg/initdb.log"
pg_run "$pg_bin/postgres" -D "$scratch/pg/data" -p "$pg_port" -k "$scratch/pg-socket" \
  -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on >"$scratch/pg/postgres.log" 2>&1 &
for _ in $(seq 1 60); do [ -f "$scratch/pg/data/postmaster.pid" ] && break; sleep 0.25; done
pg_pid="$(head -1 "$scratch/pg/data/postmaster.pid" 2>/dev/null || true)"
for _ in $(seq 1 60); do "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.25; done
"$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || die "PostgreSQL did not start: see $scratch/pg/postgres.log"
psql -q -h 127.0.0.1 -p "$pg_port" -U margingrid -d postgres -c "CREATE DATABASE margingrid" >/dev/null

# Redis with the append-only file: an acknowledged write survives a crash of Redis.
mkdir -p "$scratch/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$scratch/redis" --appendonly yes --appendfsync everysec \
  --save "" --daemonize no --logfile "$scratch/redis/redis.log" &
redis_pid=$!

# The cluster's own CA and leaves: silos accept only peers (silos, clients) with a certificate it issued.
tls="$scratch/tls"
"$root/deploy/tls/make-certs.sh" "$tls" --days 7 >/dev/null || die "could not make the cluster's certificates"

ledger="Host=127.0.0.1;Port=$pg_port;Database=margingrid;Username=margingrid"
# 48 hex characters: silos refuse keys shorter than 32.
admin_key="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
for i in $(seq 1 "$silos"); do
  env Cluster__Mode=durable \
      ConnectionStrings__Ledger="$ledger" ConnectionStrings__Redis="127.0.0.1:$redis_port" \
      Orleans__ClusterId=local Orleans__ServiceId=margingrid Orleans__AdvertisedIP=127.0.0.1 \
      Orleans__SiloPort=$((silo_base + i - 1)) Orleans__GatewayPort=$((gateway_base + i - 1)) \
      Orleans__Tls__CertificatePath="$tls/tls.crt" Orleans__Tls__KeyPath="$tls/tls.key" Orleans__Tls__CaPath="$tls/ca.crt" \
      Auth__ApiKeys__0__Key="$admin_key" Auth__ApiKeys__0__Role=admin \
      dotnet "$silo_dll" --urls "http://127.0.0.1:$((http_base + i - 1))" >"$scratch/silo$i.log" 2>&1 &
  silo_pids+=($!)
done

say "waiting for $silos silos to be ready..."
for i in $(seq 1 "$silos"); do
  url="http://127.0.0.1:$((http_base + i - 1))"
  for _ in $(seq 1 240); do
    kill -0 "${silo_pids[$((i - 1))]}" 2>/dev/null || die "silo $i exited: see $scratch/silo$i.log"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" 2>/dev/null)" = "200" ] && break
    sleep 0.5
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = "200" ] || die "silo $i not ready after 120 s: see $scratch/silo$i.log"
done

say ""
say "MarginGrid durable cluster is up ($silos silos, loopback only)"
for i in $(seq 1 "$silos"); do
  say "  silo $i  http://127.0.0.1:$((http_base + i - 1))  (silo port $((silo_base + i - 1)), gateway $((gateway_base + i - 1)), pid ${silo_pids[$((i - 1))]}, log $scratch/silo$i.log)"
done
say "  ledger   psql -h 127.0.0.1 -p $pg_port -U margingrid margingrid   (pid $pg_pid)"
say "  redis    redis-cli -p $redis_port   (pid $redis_pid, append-only file in $scratch/redis)"
say "  admin key (header X-Api-Key): $admin_key"
say "  try:     curl -s -H 'X-Api-Key: $admin_key' -X POST http://127.0.0.1:$http_base/v1/admin/reconciliation"
say "  client:  dotnet run --project src/MarginGrid.Client -- --redis 127.0.0.1:$redis_port --cluster-id local --cert $tls/client.crt --key $tls/client.key --ca $tls/ca.crt reconcile"
say "  TLS:     silo and gateway ports take mutual TLS only; CA and certificates in $tls"
say ""
say "Ctrl-C stops everything."
wait "${silo_pids[@]}" || true
