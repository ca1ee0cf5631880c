#!/usr/bin/env bash
# Scale-out proof: PostgreSQL, PgBouncer in transaction mode in front of it, three Kapı processes on
# loopback sharing it, nginx round robin in front of them (deploy/nginx.conf), a WhatsApp Cloud stand-in
# that records every send. Under mixed load through nginx it runs a template campaign and paper bots,
# kills one instance with SIGKILL in the middle and restarts it, and checks that nothing is lost, doubled
# or let through across instances. Ends with one "cluster:" line; exits non-zero when a check fails.
# Usage: bench/cluster.sh [--short|--long]   (--short: ~5 minutes, the default; --long: ~15 minutes)
# Everything listens on 127.0.0.1, is bounded in count and time, and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:---short}
case "$MODE" in
  --short) RECIPIENTS=2000;  BOTS=300;  LOAD_SECONDS=150; CAMPAIGN_SECONDS=60 ;;
  --long)  RECIPIENTS=20000; BOTS=1000; LOAD_SECONDS=600; CAMPAIGN_SECONDS=240 ;;
  *) echo "usage: $0 [--short|--long]" >&2; exit 2 ;;
esac
THREADS=4; CONNECTIONS=32; LOAD_ACCOUNTS=20
PG_PORT=25432; BOUNCER_PORT=26432; NGINX_PORT=28080; STANDIN_PORT=28090
PORTS=(28001 28002 28003)
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)/bin/java}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
ADMIN_EMAIL=bench-admin@example.com; ADMIN_PASSWORD=cluster-bench-Admin-Pa55word
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Whatever is missing, from Debian (no service is started: the bench runs its own).
need=()
command -v pgbouncer >/dev/null || need+=(pgbouncer)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v psql >/dev/null || need+=(postgresql-client)
[ -x "$PG_BIN/initdb" ] || need+=(postgresql)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)

# One Maven or benchmark at a time on this machine: the lock is held for the whole run.
if [ -z "${KAPI_LOCK_HELD:-}" ]; then
  exec env KAPI_LOCK_HELD=1 flock /tmp/kapi-maven.lock "$0" "$@"
fi
JAR=$(ls target/kapi*.jar 2>/dev/null | grep -v original | head -1 || true)
if [ -z "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -type f | head -1)" ]; then
  log "packaging the jar"
  mvn -B -o -q package -DskipTests >/dev/null
  JAR=$(ls target/kapi*.jar | grep -v original | head -1)
fi

W=$(mktemp -d /tmp/kapi-cluster.XXXXXX)
chmod 755 "$W"; chown postgres "$W"   # PostgreSQL and PgBouncer run as postgres and write here
PIDS=()
cleanup() {
  set +e
  for pid in "${KAPI_PID[@]:-}" "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  # The instances shut down gracefully before their database goes (bounded: then they are killed).
  for _ in $(seq 60); do
    alive=0; for pid in "${KAPI_PID[@]:-}"; do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.5
  done
  for pid in "${KAPI_PID[@]:-}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; done
  [ -f "$W/nginx.pid" ] && kill "$(cat "$W/nginx.pid")" 2>/dev/null
  [ -f "$W/pgbouncer.pid" ] && kill "$(cat "$W/pgbouncer.pid")" 2>/dev/null
  [ -d "$W/pg" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$W/pg" -m fast -w stop >/dev/null 2>&1
  wait 2>/dev/null
  if [ -n "${KEEP:-}" ]; then log "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
declare -a KAPI_PID

# PostgreSQL, throw-away, on loopback, run by the postgres user (root may not run it).
log "PostgreSQL on $PG_PORT"
mkdir -p "$W/pg" && chown postgres "$W/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$W/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$W/pg" -w -l "$W/pg/server.log" \
  -o "-p $PG_PORT -k $W/pg -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
psql() { command psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d kapi -qAtX "$@"; }
command psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAtc "CREATE DATABASE kapi"

# PgBouncer in transaction mode in front of it.
log "PgBouncer (transaction mode) on $BOUNCER_PORT"
cat > "$W/pgbouncer.ini" <<INI
[databases]
kapi = host=127.0.0.1 port=$PG_PORT dbname=kapi
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $W/userlist.txt
pool_mode = transaction
default_pool_size = 40
max_client_conn = 500
; PgJDBC sends it at start-up; PgBouncer does not track it, and Kapı needs nothing of it.
ignore_startup_parameters = extra_float_digits
logfile = $W/pgbouncer.log
pidfile = $W/pgbouncer.pid
INI
echo '"postgres" ""' > "$W/userlist.txt"
chown postgres "$W/pgbouncer.ini" "$W/userlist.txt"
runuser -u postgres -- pgbouncer -d "$W/pgbouncer.ini"
for try in $(seq 50); do
  command psql -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres -d kapi -qAtc "SELECT 1" >/dev/null 2>&1 && break
  [ "$try" = 50 ] && { log "PgBouncer did not start"; cat "$W/pgbouncer.log" >&2; exit 1; }
  sleep 0.2
done

# The WhatsApp Cloud stand-in.
# STANDIN_LATENCY_MS (default 0) delays every answer, so a kill leaves calls in flight (uncertain sends).
LATENCY_MS=${STANDIN_LATENCY_MS:-0} python3 bench/meta_standin.py "$STANDIN_PORT" & PIDS+=($!)

# Three Kapı instances: datasource through PgBouncer, LISTEN and migrations direct.
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
MASTER_KEY=$(head -c 32 /dev/urandom | base64)
start_kapi() { # $1 = index
  local port=${PORTS[$1]}
  mkdir -p "$W/kapi-$1"
  env SERVER_PORT="$port" KAPI_DATA_DIR="$W/kapi-$1" \
    SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$BOUNCER_PORT/kapi?prepareThreshold=0" \
    SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= \
    KAPI_CLUSTER_LISTEN_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/kapi" \
    KAPI_JWT_SECRET="$JWT_SECRET" KAPI_MASTER_KEY="$MASTER_KEY" \
    KAPI_PUBLIC_URL="http://127.0.0.1:$NGINX_PORT" KAPI_TRUSTED_PROXIES='127\.0\.0\.1' \
    KAPI_BOOTSTRAP_ADMIN_EMAIL="$ADMIN_EMAIL" KAPI_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    KAPI_WHATSAPP_BASE_URL="http://127.0.0.1:$STANDIN_PORT" \
    KAPI_MESSAGING_WORKER_LEASE=20s KAPI_MESSAGING_WORKER_MAXINFLIGHT=200 KAPI_TRADING_RUNNER_BATCHSIZE=50 \
    "$JAVA" -Xmx512m -XX:+ExitOnOutOfMemoryError -jar "$ROOT/$JAR" >>"$W/kapi-$1.log" 2>&1 &
  KAPI_PID[$1]=$!
}
wait_up() { # $1 = index, $2 = seconds
  local until=$(( $(date +%s) + $2 ))
  until curl -sf "127.0.0.1:${PORTS[$1]}/actuator/health/readiness" >/dev/null; do
    [ "$(date +%s)" -lt "$until" ] || { log "instance $1 did not start"; tail -30 "$W/kapi-$1.log" >&2; exit 1; }
    kill -0 "${KAPI_PID[$1]}" 2>/dev/null || { log "instance $1 died"; tail -30 "$W/kapi-$1.log" >&2; exit 1; }
    sleep 0.5
  done
}
log "three Kapı instances on ${PORTS[*]}"
begin=$(date +%s)
for i in 0 1 2; do start_kapi $i; done
for i in 0 1 2; do wait_up $i 240; done
log "all up in $(( $(date +%s) - begin )) s"

# nginx with the repository's configuration: its ports and paths moved into the temp dir, and (bench only)
# X-Forwarded-For believed from loopback, so the load's requests come from many client addresses.
sed -e "s|127.0.0.1:8001|127.0.0.1:${PORTS[0]}|; s|127.0.0.1:8002|127.0.0.1:${PORTS[1]}|; s|127.0.0.1:8003|127.0.0.1:${PORTS[2]}|" \
    -e "s|listen 80;|listen 127.0.0.1:$NGINX_PORT; set_real_ip_from 127.0.0.1; real_ip_header X-Forwarded-For;|" \
    -e "s|^pid .*|pid $W/nginx.pid;|; s|^error_log .*|error_log $W/nginx-error.log warn;|" \
    -e "s|^worker_processes auto;|worker_processes 2;|" \
    -e "s|^http {|http {\n    client_body_temp_path $W/nginx-body;\n    proxy_temp_path $W/nginx-proxy;\n    fastcgi_temp_path $W/nginx-fcgi;\n    uwsgi_temp_path $W/nginx-uwsgi;\n    scgi_temp_path $W/nginx-scgi;|" \
    deploy/nginx.conf > "$W/nginx.conf"
"$NGINX_BIN" -t -q -c "$W/nginx.conf" -p "$W" -g "user root;" 2>>"$W/nginx-error.log"
"$NGINX_BIN" -c "$W/nginx.conf" -p "$W" -g "user root;"

export NGINX=$NGINX_PORT RECIPIENTS BOTS LOAD_ACCOUNTS THREADS ADMIN_EMAIL ADMIN_PASSWORD
export RATE=$(( (RECIPIENTS + 4 * CAMPAIGN_SECONDS - 1) / (4 * CAMPAIGN_SECONDS) ))
log "setup: campaign of $RECIPIENTS recipients, $BOTS paper bots, $LOAD_ACCOUNTS load accounts"
python3 bench/cluster_driver.py setup "$W/state.json"
PUBLIC_ID=$(psql -c "SELECT public_id FROM accounts WHERE email = 'bench-campaign@example.com'")
python3 bench/cluster_driver.py credits "$W/state.json" "$PUBLIC_ID" $((RECIPIENTS + 10))
BOTS_FROM=$(date +%s)

# Each minute at second 50, the active bots whose last run is not on the minute's candle (the tick of
# second 5 claims and runs every bot once; a claim whose run never finished shows here, not as a gap in
# the claims).
( while :; do
    sleep $(( (110 - $(date +%s) % 60) % 60 + 1 ))
    [ -f "$W/stop-sampling" ] && break
    now=$(date +%s)
    lag=$(psql -c "SELECT count(*) FROM trading_bots WHERE active AND status IN ('idle', 'in_position')
                   AND (last_candle_at IS NULL OR last_candle_at < to_timestamp($(( now / 60 * 60 - 60 ))))")
    echo "$(( now / 60 * 60 )) $lag" >> "$W/lag.txt"
  done ) & PIDS+=($!)

log "mixed load through nginx for ${LOAD_SECONDS}s; the campaign starts"
# shellcheck disable=SC2046
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 10s -s bench/cluster.lua \
  "http://127.0.0.1:$NGINX_PORT" -- "$LOAD_ACCOUNTS" $(python3 bench/cluster_driver.py wrkargs "$W/state.json") \
  >"$W/wrk.out" 2>&1 & WRK=$!; PIDS+=($WRK)
python3 bench/cluster_driver.py start "$W/state.json"
QUEUE_ID=$(python3 -c "import json; print(json.load(open('$W/state.json'))['queue_id'])")

# The kill: instance 2 (index 1), in the middle of the campaign; restarted five seconds later. Bots are
# claimed 50 at a time (KAPI_TRADING_RUNNER_BATCHSIZE above), so every instance has some when it dies.
sleep $(( CAMPAIGN_SECONDS / 2 ))
# In the middle of the runner's tick (second 5 of a minute), the worst moment for the bots it claimed;
# KILL_ANYTIME=1 kills at once instead.
if [ -z "${KILL_ANYTIME:-}" ]; then
  while [ "$(date +%S)" != 05 ]; do sleep 0.2; done; sleep 0.3
fi
log "kill -9 of instance 2 (pid ${KAPI_PID[1]})"
KILLED_AT=$(date +%s)
kill -9 "${KAPI_PID[1]}"; wait "${KAPI_PID[1]}" 2>/dev/null || true
sleep 5
start_kapi 1
wait_up 1 240
log "instance 2 back after $(( $(date +%s) - KILLED_AT )) s"

log "cross-instance checks: session end, login limit, lockout"
PORTS="$(IFS=,; echo "${PORTS[*]}")" python3 bench/cluster_driver.py checks "$W/state.json" | tee "$W/checks.out" >&2 || true
wait "$WRK" || true
log "$(grep wrkstats "$W/wrk.out" || tail -5 "$W/wrk.out")"

# The campaign ends within the lease after the last send (claims of the killed instance wait for it).
deadline=$(( $(date +%s) + 180 ))
while :; do
  status=$(psql -c "SELECT status FROM messaging_queues WHERE id = $QUEUE_ID")
  [ "$status" = completed ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { log "queue still $status"; break; }
  sleep 2
done
END_AT=$(date +%s)

# Counts: the database's outcome of every recipient against what the stand-in received.
curl -sf "127.0.0.1:$STANDIN_PORT/records" > "$W/records.json"
psql -c "SELECT id, status, coalesce(error_code, '') FROM messaging_messages WHERE queue_id = $QUEUE_ID" > "$W/messages.txt"
read -r SENT DOUBLES UNCERTAIN NEVER MISMATCH < <(python3 - "$W/records.json" "$W/messages.txt" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
sent = doubles = uncertain = never = mismatch = 0
for line in open(sys.argv[2]):
    id_, status, code = line.rstrip("\n").split("|")
    got = records.get("kapi-msg-" + id_, 0)
    doubles += max(0, got - 1)
    if status in ("sent", "delivered", "read"):
        sent += 1
        mismatch += got == 0          # recorded as sent, never received
    elif status == "failed" and code in ("outcome-unknown", "timeout", "connection-lost", "interrupted"):
        uncertain += 1
    else:
        never += 1
        mismatch += got > 0           # received, but the database says it was not sent
print(sent, doubles, uncertain, never, mismatch)
PY
)

# Ticks: every active bot once per candle from the first tick after all were started to the last one
# with time to finish; none twice (the claim's primary key, orders and trades per candle).
FIRST_TICK=$(( ((BOTS_FROM - 5) / 60 + 1) * 60 ))   # the first minute whose :05 tick comes after the starts
LAST_TICK=$(( ((END_AT - 20) / 60) * 60 ))
read -r TICKS_DOUBLED TICKS_MISSED EXPECTED_RUNS < <(psql -F' ' -c "
  WITH bots AS (SELECT id FROM trading_bots WHERE active),
       candles AS (SELECT generate_series(to_timestamp($FIRST_TICK) - interval '1 minute',
                                          to_timestamp($LAST_TICK) - interval '1 minute', interval '1 minute') AS open),
       expected AS (SELECT b.id, c.open FROM bots b CROSS JOIN candles c)
  SELECT (SELECT count(*) FROM (SELECT bot_id, candle_open FROM trading_orders GROUP BY 1, 2 HAVING count(*) > 1) d)
       + (SELECT count(*) FROM (SELECT client_order_id FROM trading_trades WHERE client_order_id IS NOT NULL
                                GROUP BY 1 HAVING count(*) > 1) t),
         (SELECT count(*) FROM expected e WHERE NOT EXISTS
             (SELECT 1 FROM trading_bot_runs r WHERE r.bot_id = e.id AND r.candle_open = e.open))
       + (SELECT count(*) FROM trading_bots b WHERE b.active AND $LAST_TICK > $FIRST_TICK
             AND (b.last_candle_at IS NULL OR b.last_candle_at < to_timestamp($LAST_TICK) - interval '1 minute')),
         (SELECT count(*) FROM expected)")
touch "$W/stop-sampling"
# Lagging bots at second 50 of each minute of the window (the first minute's bots may start late).
LAGGED=$(awk -v a="$FIRST_TICK" -v b="$LAST_TICK" '$1 >= a && $1 <= b {n += $2} END {print n + 0}' "$W/lag.txt" 2>/dev/null || echo 0)
log "bots behind their candle at second 50, per minute: $(tr '\n' ' ' < "$W/lag.txt" 2>/dev/null)"
TICKS_MISSED=$(( TICKS_MISSED + LAGGED ))
BOTS_IN_ERROR=$(psql -c "SELECT count(*) FROM trading_bots WHERE status = 'error'")

REQUESTS=$(sed -n 's/.*wrkstats: requests=\([0-9]*\).*/\1/p' "$W/wrk.out"); REQUESTS=${REQUESTS:-0}
ERRORS=$(sed -n 's/.*socket_errors=\([0-9]*\).* s5xx=\([0-9]*\).*/\1 \2/p' "$W/wrk.out" | awk '{print $1 + $2}'); ERRORS=${ERRORS:-0}
get() { sed -n "s/^$1=//p" "$W/checks.out" | tail -1; }
REVOCATION=$(get revocation_ms); RATE_EXACT=$(get ratelimit_exact); LOCK_EXACT=$(get lockout_exact)
log "details: $(get ratelimit_detail), lockout $(get lockout_detail), mismatched records $MISMATCH, expected runs $EXPECTED_RUNS, bots in error $BOTS_IN_ERROR, queue $status"
for i in 0 1 2; do
  n=$(grep -c -E ' ERROR ' "$W/kapi-$i.log" || true); [ "$n" -gt 0 ] && log "instance $((i + 1)): $n ERROR log lines, e.g. $(grep -m1 -E ' ERROR ' "$W/kapi-$i.log" | cut -c1-300)"
done

echo "cluster: requests=$REQUESTS errors=$ERRORS revocation_ms=${REVOCATION:--1} ratelimit_exact=${RATE_EXACT:-no} lockout_exact=${LOCK_EXACT:-no} sent=$SENT doubles=$DOUBLES uncertain=$UNCERTAIN never_sent=$NEVER ticks_doubled=$TICKS_DOUBLED ticks_missed=$TICKS_MISSED"
[ "${REVOCATION:--1}" -ge 0 ] && [ "$RATE_EXACT" = yes ] && [ "$LOCK_EXACT" = yes ] && [ "$DOUBLES" -eq 0 ] \
  && [ "$NEVER" -eq 0 ] && [ "$MISMATCH" -eq 0 ] && [ "$TICKS_DOUBLED" -eq 0 ] && [ "$TICKS_MISSED" -eq 0 ] \
  && [ "$EXPECTED_RUNS" -gt 0 ]
