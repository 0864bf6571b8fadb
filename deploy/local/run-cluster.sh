#!/usr/bin/env bash
# A durable MarginGrid cluster on this machine, on loopback only: PostgreSQL (the ledger, WAL archived; its
# --ledgers partitions are databases margingrid, margingrid_1, ... on the one server) and
# Redis (membership, grain state, reminders; append-only file on) and N silos, all in one data folder, with
# mutual TLS between silos from throw-away certificates. Processes run in the background and are ended by the
# PIDs in the data folder; nothing is ever deleted unless --clean is given.
#
#   run-cluster.sh [start] [options]        start (or start again on its data) and wait until every silo is ready
#   run-cluster.sh stop [--clean]           stop silos, Redis and PostgreSQL by PID (--clean: then delete the data)
#   run-cluster.sh status                   what runs, on which port, with which PID
#   run-cluster.sh restart-silo N           SIGTERM silo N, wait for its exit, start it on the same ports
#   run-cluster.sh backup TO                PostgreSQL base backup (every ledger partition) + Redis appendonlydir into TO
#   run-cluster.sh switch-wal               archive the current WAL segment now (else within archive_timeout, 60 s)
#   run-cluster.sh restore FROM [options]   a new cluster from backup FROM (point-in-time: --until), beside the live one
#   run-cluster.sh cli                      print the operator CLI line for this cluster
#
# Options:
#   --data DIR        the cluster's folder (default $MARGINGRID_CLUSTER_DIR, else /var/tmp/margingrid-cluster)
#   --silos N         silos to start (default 3; at most 10 with --base-port)
#   --ledgers N       ledger partitions (PostgreSQL databases) when the cluster is first started (default 1);
#                     fixed from then on: changing it is a data migration (docs/operations.md)
#   --base-port B     HTTP B.., silo B+10.., gateway B+20.., PostgreSQL B+30, Redis B+31 (or $MARGINGRID_BASE_PORT)
#   --http-port P, --silo-port P, --gateway-port P, --pg-port P, --redis-port P   one service's (first) port
#                     (defaults 5101, 11111, 30000, 55432, 56379)
#   --cluster-id ID   Orleans cluster id (default local)
#   --clean           start: delete the data folder first; stop: delete it after stopping
#   --wal-archive DIR restore: where to read archived WAL from (default: the live cluster's, noted in the backup)
#   --until TIME      restore: recover up to this time (recovery_target_time, e.g. '2026-11-27 10:40:00+00');
#                     without it, every archived WAL segment is replayed
set -euo pipefail

usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; }
say() { printf '%s\n' "$*"; }
die() { printf 'run-cluster: %s\n' "$*" >&2; exit 1; }

command="start"
case "${1:-}" in
  start|stop|status|restart-silo|backup|switch-wal|restore|cli) command="$1"; shift ;;
esac
target=""
if [ "$command" = restart-silo ] || [ "$command" = backup ] || [ "$command" = restore ]; then
  [ $# -gt 0 ] && [ "${1#-}" = "$1" ] || die "$command needs an argument (see --help)"
  target="$1"; shift
fi

data="${MARGINGRID_CLUSTER_DIR:-/var/tmp/margingrid-cluster}"
silos=""; ledgers=""; base_port="${MARGINGRID_BASE_PORT:-}"; http_base=""; silo_base=""; gateway_base=""; pg_port=""; redis_port=""
cluster_id=""; clean=0; wal_archive=""; until_time=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --silos) silos="$2"; shift 2 ;;
    --ledgers) ledgers="$2"; shift 2 ;;
    --base-port) base_port="$2"; shift 2 ;;
    --http-port) http_base="$2"; shift 2 ;;
    --silo-port) silo_base="$2"; shift 2 ;;
    --gateway-port) gateway_base="$2"; shift 2 ;;
    --pg-port) pg_port="$2"; shift 2 ;;
    --redis-port) redis_port="$2"; shift 2 ;;
    --cluster-id) cluster_id="$2"; shift 2 ;;
    --clean) clean=1; shift ;;
    --wal-archive) wal_archive="$2"; shift 2 ;;
    --until) until_time="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/../.." && pwd)"
silo_dll="$root/src/MarginGrid.Silo/bin/Release/net10.0/MarginGrid.Silo.dll"
service_id="margingrid"
as_root=0; [ "$(id -u)" -eq 0 ] && as_root=1
mkdir -p "$(dirname "$data")"
data="$(cd "$(dirname "$data")" && pwd)/$(basename "$data")"
settings="$data/cluster.env"
run="$data/run"

pg_bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)")"
[ -x "$pg_bin/pg_isready" ] || pg_bin="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
# initdb and postgres refuse to run as root, so root runs them as the postgres user.
pg_run() { if [ $as_root -eq 1 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_own() { [ $as_root -eq 1 ] && chown -R postgres "$@"; return 0; }

# A PID from a pid file, only while it still is the process we started (a PID can be reused).
live_pid() { # file, what its command line contains
  local pid
  [ -f "$1" ] || return 1
  pid="$(head -1 "$1")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2" && echo "$pid"
}
silo_pid() { live_pid "$run/silo$1.pid" "MarginGrid.Silo.dll"; }
redis_pid() { live_pid "$run/redis.pid" "redis-server"; }
pg_pid() { live_pid "$data/pg/data/postmaster.pid" "postgres"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_exit() { # pid, seconds
  local i
  for i in $(seq 1 $(($2 * 4))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.25; done
  return 1
}

load_settings() {
  [ -f "$settings" ] || return 0
  local saved_silos saved_ledgers saved_http saved_silo saved_gateway saved_pg saved_redis saved_cluster
  # shellcheck disable=SC1090
  saved_silos="$(. "$settings"; echo "$silos")"; saved_http="$(. "$settings"; echo "$http_base")"
  saved_silo="$(. "$settings"; echo "$silo_base")"; saved_gateway="$(. "$settings"; echo "$gateway_base")"
  saved_pg="$(. "$settings"; echo "$pg_port")"; saved_redis="$(. "$settings"; echo "$redis_port")"
  saved_cluster="$(. "$settings"; echo "$cluster_id")"; admin_key="$(. "$settings"; echo "$admin_key")"
  saved_ledgers="$(. "$settings"; echo "${ledgers:-1}")"
  # Streams are placed by hash modulo the partition count: a cluster keeps the count it started with.
  [ -z "$ledgers" ] || [ "$ledgers" = "$saved_ledgers" ] \
    || die "the cluster in $data has $saved_ledgers ledger partition(s), not $ledgers: changing the count is a data migration (docs/operations.md), not a restart"
  ledgers="$saved_ledgers"
  # Flags win over what was saved; a base port moves every service.
  if [ -z "$base_port" ]; then
    http_base="${http_base:-$saved_http}"; silo_base="${silo_base:-$saved_silo}"; gateway_base="${gateway_base:-$saved_gateway}"
    pg_port="${pg_port:-$saved_pg}"; redis_port="${redis_port:-$saved_redis}"
  fi
  silos="${silos:-$saved_silos}"; cluster_id="${cluster_id:-$saved_cluster}"
}

resolve_ports() {
  if [ -n "$base_port" ]; then
    [[ "$base_port" =~ ^[0-9]+$ ]] && [ "$base_port" -ge 1024 ] && [ "$base_port" -le 65000 ] || die "--base-port takes 1024..65000"
    http_base="${http_base:-$base_port}"; silo_base="${silo_base:-$((base_port + 10))}"; gateway_base="${gateway_base:-$((base_port + 20))}"
    pg_port="${pg_port:-$((base_port + 30))}"; redis_port="${redis_port:-$((base_port + 31))}"
    [ "${silos:-3}" -le 10 ] || die "--base-port leaves room for 10 silos; give each service's port instead"
  fi
  silos="${silos:-3}"; http_base="${http_base:-5101}"; silo_base="${silo_base:-11111}"; gateway_base="${gateway_base:-30000}"
  pg_port="${pg_port:-55432}"; redis_port="${redis_port:-56379}"; cluster_id="${cluster_id:-local}"
  [[ "$silos" =~ ^[1-9][0-9]?$ ]] || die "--silos takes 1..99"
  ledgers="${ledgers:-1}"
  [[ "$ledgers" =~ ^[1-9][0-9]?$ ]] || die "--ledgers takes 1..99"
}

save_settings() {
  umask 077
  cat >"$settings" <<EOF
silos=$silos
ledgers=$ledgers
http_base=$http_base
silo_base=$silo_base
gateway_base=$gateway_base
pg_port=$pg_port
redis_port=$redis_port
cluster_id=$cluster_id
admin_key=$admin_key
EOF
  umask 022
}

need_settings() { [ -f "$settings" ] || die "no cluster in $data (start one, or give --data)"; load_settings; resolve_ports; }

check_tools() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is required"
  command -v openssl >/dev/null || die "openssl is required for the cluster's certificates (apt-get install openssl)"
  [ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries (initdb, postgres) not found; apt-get install postgresql"
  if ! command -v redis-server >/dev/null; then
    [ $as_root -eq 1 ] || die "redis-server not found; sudo apt-get install -y redis-server"
    say "installing redis-server with apt..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null 2>&1; } \
      || die "could not install redis-server"
  fi
  if [ ! -f "$silo_dll" ] || [ -n "$(find "$root/src" \( -name obj -o -name bin \) -prune -o -name '*.cs' -newer "$silo_dll" -print -quit)" ]; then
    say "building the silo (Release)..."
    dotnet build "$root/src/MarginGrid.Silo/MarginGrid.Silo.csproj" -c Release -nologo -v quiet >/dev/null || die "build failed"
  fi
}

check_ports() {
  local p i
  port_free "$pg_port" || die "port $pg_port (PostgreSQL) is in use: choose others with --base-port or --pg-port"
  port_free "$redis_port" || die "port $redis_port (Redis) is in use: choose others with --base-port or --redis-port"
  for i in $(seq 1 "$silos"); do
    for p in "http $((http_base + i - 1))" "silo $((silo_base + i - 1))" "gateway $((gateway_base + i - 1))"; do
      port_free "${p#* }" || die "port ${p#* } (silo $i ${p% *}) is in use: choose others with --base-port or --${p% *}-port"
    done
  done
}

launch_postgres() {
  mkdir -p "$data/wal-archive" "$data/pg/socket"
  pg_own "$data/wal-archive" "$data/pg/socket"
  local archive="$data/wal-archive"
  # WAL archiving on: a base backup plus the archive gives point-in-time recovery. archive_timeout bounds the age
  # of the newest archived commit when writes are quiet.
  (
    cd "$data"
    if [ $as_root -eq 1 ]; then set -- runuser -u postgres --; else set --; fi
    exec setsid "$@" "$pg_bin/postgres" -D "$data/pg/data" -p "$pg_port" -k "$data/pg/socket" \
      -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c wal_level=replica \
      -c archive_mode=on -c "archive_command=test ! -f $archive/%f && cp %p $archive/%f" -c archive_timeout=60 \
      </dev/null >>"$data/postgres.log" 2>&1
  ) &
  local i
  for i in $(seq 1 240); do "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.25; done
  "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || die "PostgreSQL did not start: see $data/postgres.log"
}

launch_redis() {
  mkdir -p "$data/redis" "$run"
  (
    cd "$data"
    exec setsid redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$data/redis" --appendonly yes \
      --appendfsync everysec --save "" --daemonize no --logfile "$data/redis.log" </dev/null >/dev/null 2>&1
  ) &
  echo $! >"$run/redis.pid"
  local i
  for i in $(seq 1 120); do [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ] && break; sleep 0.25; done
  [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ] || die "Redis did not start: see $data/redis.log"
  # Redis is still loading its append-only file while it answers LOADING; wait until it has.
  for i in $(seq 1 600); do redis-cli -h 127.0.0.1 -p "$redis_port" info persistence | grep -q '^loading:0' && break; sleep 0.25; done
}

# Database name and connection-string setting of ledger partition N.
ledger_db() { if [ "$1" -eq 0 ]; then echo margingrid; else echo "margingrid_$1"; fi; }
ledger_env() { # one Name=value per partition, and the count
  local p name
  echo "Ledger__Partitions=$ledgers"
  for p in $(seq 0 $((ledgers - 1))); do
    name=ConnectionStrings__Ledger; [ "$p" -eq 0 ] || name="ConnectionStrings__Ledger$p"
    echo "$name=Host=127.0.0.1;Port=$pg_port;Database=$(ledger_db "$p");Username=margingrid"
  done
}

check_ledgers() { # every partition's database is on the server
  local p
  for p in $(seq 0 $((ledgers - 1))); do
    [ "$(psql -tA -h 127.0.0.1 -p "$pg_port" -U margingrid -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$(ledger_db "$p")'")" = 1 ] \
      || die "ledger partition $p (database $(ledger_db "$p")) is missing on the PostgreSQL server in $data"
  done
}

launch_silo() { # number
  local i="$1" tls="$data/tls"
  local -a ledger
  mapfile -t ledger < <(ledger_env)
  mkdir -p "$run"
  # Started from the build output, so the silo reads its own appsettings.json; output goes to its log file.
  (
    cd "$(dirname "$silo_dll")"
    exec env Cluster__Mode=durable "${ledger[@]}" \
      ConnectionStrings__Redis="127.0.0.1:$redis_port" \
      Orleans__ClusterId="$cluster_id" Orleans__ServiceId="$service_id" Orleans__AdvertisedIP=127.0.0.1 \
      Orleans__SiloPort=$((silo_base + i - 1)) Orleans__GatewayPort=$((gateway_base + i - 1)) \
      Orleans__Tls__CertificatePath="$tls/tls.crt" Orleans__Tls__KeyPath="$tls/tls.key" Orleans__Tls__CaPath="$tls/ca.crt" \
      Auth__ApiKeys__0__Key="$admin_key" Auth__ApiKeys__0__Role=admin \
      setsid dotnet "$silo_dll" --urls "http://127.0.0.1:$((http_base + i - 1))" </dev/null >>"$data/silo$i.log" 2>&1
  ) &
  echo $! >"$run/silo$i.pid"
  # Until the subshell has exec'd, its command line is still this script's, and silo_pid would call it gone.
  local n
  for n in $(seq 1 100); do
    silo_pid "$i" >/dev/null && return 0
    kill -0 "$(cat "$run/silo$i.pid")" 2>/dev/null || break
    sleep 0.1
  done
  silo_pid "$i" >/dev/null || die "silo $i did not start: see $data/silo$i.log"
}

wait_silo_ready() { # number
  local i="$1" url="http://127.0.0.1:$((http_base + $1 - 1))" n
  for n in $(seq 1 360); do
    silo_pid "$i" >/dev/null || die "silo $i exited: see $data/silo$i.log"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" 2>/dev/null)" = "200" ] && return 0
    sleep 0.5
  done
  die "silo $i not ready after 180 s: see $data/silo$i.log"
}

stop_silo() { # number
  local pid
  pid="$(silo_pid "$1")" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_exit "$pid" 60 || { say "silo $1 (pid $pid) did not stop within 60 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; wait_exit "$pid" 10 || true; }
  rm -f "$run/silo$1.pid"
}

cli_line() {
  say "dotnet run --project $root/src/MarginGrid.Client -- --redis 127.0.0.1:$redis_port --cluster-id $cluster_id --cert $data/tls/client.crt --key $data/tls/client.key --ca $data/tls/ca.crt reconcile"
}

print_cluster() {
  local i
  say ""
  say "MarginGrid durable cluster is up ($silos silos, loopback only, data in $data)"
  for i in $(seq 1 "$silos"); do
    say "  silo $i  http://127.0.0.1:$((http_base + i - 1))  (silo port $((silo_base + i - 1)), gateway $((gateway_base + i - 1)), pid $(silo_pid "$i" || echo -), log $data/silo$i.log)"
  done
  say "  ledger   psql -h 127.0.0.1 -p $pg_port -U margingrid margingrid   (pid $(pg_pid || echo -), WAL archived to $data/wal-archive)"
  if [ "$ledgers" -gt 1 ]; then
    say "           $ledgers partitions: databases$(for p in $(seq 0 $((ledgers - 1))); do printf ' %s' "$(ledger_db "$p")"; done)"
  fi
  say "  redis    redis-cli -p $redis_port   (pid $(redis_pid || echo -), append-only file in $data/redis/appendonlydir)"
  say "  admin key (header X-Api-Key): $admin_key"
  say "  try:     curl -s -H 'X-Api-Key: $admin_key' -X POST http://127.0.0.1:$http_base/v1/admin/reconciliation"
  say "  client:  $(cli_line)"
  say "  stop:    $0 stop --data $data        (data kept; add --clean to delete it)"
}

any_running() {
  local i
  pg_pid >/dev/null && return 0
  redis_pid >/dev/null && return 0
  for i in $(seq 1 99); do silo_pid "$i" >/dev/null && return 0; done
  return 1
}

new_key() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

make_certs() {
  [ -f "$data/tls/ca.crt" ] && return 0
  "$root/deploy/tls/make-certs.sh" "$data/tls" --days 30 >/dev/null || die "could not make the cluster's certificates"
}

start_silos() {
  local i
  for i in $(seq 1 "$silos"); do launch_silo "$i"; done
  say "waiting for $silos silos to be ready..."
  for i in $(seq 1 "$silos"); do wait_silo_ready "$i"; done
}

cmd_start() {
  if [ $clean -eq 1 ]; then
    any_running && die "the cluster in $data is running; stop it first ($0 stop --data $data)"
    rm -rf "$data"
  fi
  load_settings; resolve_ports
  any_running && die "the cluster in $data is already running ($0 status --data $data)"
  check_tools; check_ports
  mkdir -p "$data" "$run"; chmod 755 "$data"
  admin_key="${admin_key:-$(new_key)}"
  save_settings
  make_certs
  if [ ! -f "$data/pg/data/PG_VERSION" ]; then
    mkdir -p "$data/pg"; pg_own "$data/pg"
    pg_run "$pg_bin/initdb" -D "$data/pg/data" -U margingrid --auth=trust -E UTF8 >"$data/initdb.log" 2>&1 \
      || die "initdb failed: see $data/initdb.log"
    launch_postgres
    local p
    for p in $(seq 0 $((ledgers - 1))); do
      psql -q -h 127.0.0.1 -p "$pg_port" -U margingrid -d postgres -c "CREATE DATABASE $(ledger_db "$p")" >/dev/null
    done
  else
    say "starting on the data already in $data"
    launch_postgres
  fi
  check_ledgers
  launch_redis
  start_silos
  print_cluster
}

cmd_restore() {
  local from
  from="$(cd "$target" 2>/dev/null && pwd)" || die "no backup folder $target"
  [ -f "$from/pg/PG_VERSION" ] && [ -d "$from/appendonlydir" ] || die "$from is not a backup made by '$0 backup' (pg/ and appendonlydir/ expected)"
  [ $clean -eq 1 ] && { any_running && die "the cluster in $data is running; stop it first"; rm -rf "$data"; }
  [ -e "$data/pg/data" ] || [ -e "$data/redis" ] && die "$data already holds a cluster: restore into a new folder (--data), or add --clean"
  load_settings
  [ -f "$from/backup.env" ] && {
    wal_archive="${wal_archive:-$(. "$from/backup.env"; echo "$wal_archive")}"
    cluster_id="${cluster_id:-$(. "$from/backup.env"; echo "$cluster_id")}"
    ledgers="${ledgers:-$(. "$from/backup.env"; echo "${ledgers:-1}")}"
  }
  resolve_ports
  [ -d "$wal_archive" ] || die "no WAL archive at '$wal_archive' (give --wal-archive DIR)"
  check_tools; check_ports
  mkdir -p "$data/pg" "$run"; chmod 755 "$data"; pg_own "$data/pg"
  admin_key="$(new_key)"
  save_settings
  make_certs
  local started=$SECONDS
  say "restoring $from into $data..."
  cp -a "$from/pg" "$data/pg/data"
  pg_own "$data/pg/data"; chmod 700 "$data/pg/data"
  # Point-in-time recovery: replay archived WAL from the live cluster's archive (read only), then promote.
  {
    echo "restore_command = 'cp $wal_archive/%f %p'"
    [ -n "$until_time" ] && echo "recovery_target_time = '$until_time'"
    echo "recovery_target_action = 'promote'"
  } >>"$data/pg/data/postgresql.auto.conf"
  touch "$data/pg/data/recovery.signal"; pg_own "$data/pg/data/recovery.signal"
  launch_postgres
  local i
  for i in $(seq 1 1200); do
    [ "$(psql -tA -h 127.0.0.1 -p "$pg_port" -U margingrid -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
    sleep 0.25
  done
  [ "$(psql -tA -h 127.0.0.1 -p "$pg_port" -U margingrid -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] \
    || die "PostgreSQL did not finish recovery: see $data/postgres.log"
  check_ledgers
  say "  PostgreSQL recovered in $((SECONDS - started)) s: $(grep -E 'recovery stopping|last completed transaction|redo done' "$data/postgres.log" | tail -1 | sed 's/^.*LOG: *//')"
  # Redis loads appendonlydir (with --appendonly yes, a dump.rdb would be ignored).
  mkdir -p "$data/redis"
  cp -a "$from/appendonlydir" "$data/redis/appendonlydir"
  launch_redis
  # The copied membership table lists the live cluster's silos as Active; restored silos would try them first.
  local stale
  stale="$(redis-cli -h 127.0.0.1 -p "$redis_port" hlen "$service_id/members/$cluster_id")"
  redis-cli -h 127.0.0.1 -p "$redis_port" del "$service_id/members/$cluster_id" >/dev/null
  say "  Redis loaded; removed the copied membership table ($stale fields) at $service_id/members/$cluster_id"
  local joining=$SECONDS
  start_silos
  say "  silos joined in $((SECONDS - joining)) s; restore took $((SECONDS - started)) s in all"
  print_cluster
  say "  next:    reconcile (curl above) and compare balances with the live cluster"
}

cmd_stop() {
  local i pid
  [ -d "$data" ] || die "no cluster in $data"
  for i in $(seq 1 99); do
    pid="$(silo_pid "$i")" && { kill -TERM "$pid" 2>/dev/null || true; }
  done
  for i in $(seq 1 99); do stop_silo "$i"; done
  if pid="$(redis_pid)"; then kill -TERM "$pid" 2>/dev/null || true; wait_exit "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$run/redis.pid"
  # SIGINT: PostgreSQL's fast shutdown (clients cut off, everything committed kept).
  if pid="$(pg_pid)"; then kill -INT "$pid" 2>/dev/null || true; wait_exit "$pid" 60 || die "PostgreSQL (pid $pid) did not stop"; fi
  if [ $clean -eq 1 ]; then rm -rf "$data"; say "stopped; deleted $data"; else say "stopped; data kept in $data"; fi
}

cmd_status() {
  local i pid code
  need_settings
  for i in $(seq 1 "$silos"); do
    if pid="$(silo_pid "$i")"; then
      code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((http_base + i - 1))/readyz" 2>/dev/null || true)"
      say "silo $i   pid $pid  http://127.0.0.1:$((http_base + i - 1))  readyz $code"
    else
      say "silo $i   not running"
    fi
  done
  if pid="$(redis_pid)"; then say "redis    pid $pid  port $redis_port"; else say "redis    not running"; fi
  if pid="$(pg_pid)"; then say "postgres pid $pid  port $pg_port"; else say "postgres not running"; fi
}

cmd_restart_silo() {
  [[ "$target" =~ ^[1-9][0-9]?$ ]] || die "restart-silo takes a silo number"
  need_settings
  [ "$target" -le "$silos" ] || die "there are $silos silos"
  pg_pid >/dev/null && redis_pid >/dev/null || die "PostgreSQL or Redis is not running: start the cluster ($0 start --data $data)"
  local started=$SECONDS
  say "stopping silo $target (SIGTERM)..."
  stop_silo "$target"
  say "  exited after $((SECONDS - started)) s; starting it again on the same ports..."
  launch_silo "$target"
  wait_silo_ready "$target"
  say "silo $target ready again (pid $(silo_pid "$target")) after $((SECONDS - started)) s"
}

cmd_switch_wal() {
  need_settings
  psql -tA -h 127.0.0.1 -p "$pg_port" -U margingrid -d postgres -c "SELECT pg_walfile_name(pg_switch_wal())"
}

cmd_backup() {
  need_settings
  pg_pid >/dev/null && redis_pid >/dev/null || die "the cluster in $data is not running"
  [ -e "$target" ] && [ -n "$(ls -A "$target" 2>/dev/null)" ] && die "$target is not empty"
  mkdir -p "$target/pg"; chmod 755 "$target"; pg_own "$target/pg"
  check_ledgers
  local started=$SECONDS
  # A consistent copy of the whole PostgreSQL cluster while it runs, with the WAL it needs to start: one
  # server holds every ledger partition here, so one base backup backs up every partition at one point.
  pg_run "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U margingrid -D "$target/pg" -X stream -c fast \
    || die "pg_basebackup failed"
  # Redis: rewrite the append-only file, wait for it, then copy the folder (base file, increments, manifest).
  redis-cli -h 127.0.0.1 -p "$redis_port" bgrewriteaof >/dev/null
  local i
  for i in $(seq 1 240); do
    redis-cli -h 127.0.0.1 -p "$redis_port" info persistence | grep -q '^aof_rewrite_in_progress:0' \
      && redis-cli -h 127.0.0.1 -p "$redis_port" info persistence | grep -q '^aof_rewrite_scheduled:0' && break
    sleep 0.25
  done
  cp -a "$data/redis/appendonlydir" "$target/appendonlydir"
  cat >"$target/backup.env" <<EOF
wal_archive=$data/wal-archive
cluster_id=$cluster_id
ledgers=$ledgers
taken_at='$(date -u '+%Y-%m-%d %H:%M:%S+00')'
EOF
  say "backup in $target ($(du -sh "$target" | cut -f1), $((SECONDS - started)) s): pg/ (base backup, $ledgers ledger partition(s)), appendonlydir/ (Redis)"
  say "WAL after it is archived in $data/wal-archive; restore with: $0 restore $target --data NEW_FOLDER --base-port PORT"
}

case "$command" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart-silo) cmd_restart_silo ;;
  backup) cmd_backup ;;
  switch-wal) cmd_switch_wal ;;
  restore) cmd_restore ;;
  cli) need_settings; cli_line ;;
esac
