#!/usr/bin/env bash
# Identity benchmark: raw hash throughput vs. logins over HTTP, refreshes, profile reads, memory,
# start-up time and database writes per operation. Load comes from wrk in its own process, on loopback;
# every run is bounded in time. Prints a Markdown table. Usage: bench/identity.sh [seconds-per-run]
# JAR=path/to/kapi.jar measures that jar instead of building this checkout (e.g. an older build, for an A/B).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
PORT=18000
USERS=64
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)/bin/java}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }

JAR=${JAR:-}
if [ -z "$JAR" ]; then
  echo "Building the jar..." >&2
  mvn -B -q -DskipTests package
  JAR=target/kapi.jar
fi
echo "Measuring $JAR; raw hash throughput from this checkout's encoder..." >&2
hash_rate() {
  mvn -B test -Dtest=PasswordHashingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
      -Dbench.algorithm="$1" -Dbench.cost="${2:-10}" 2>/dev/null \
    | sed -n 's/.*verifies_per_second=\([0-9.]*\).*/\1/p' | head -1
}

DATA=$(mktemp -d)
LOG=$DATA/server.log
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT

ADMIN_EMAIL=bench-admin@example.com
ADMIN_PASSWORD=benchmark-admin-passphrase
start_server() { # $1 = password algorithm; RATE_LIMITS=true|false (default false), JWT=HS256|ES256|EdDSA|RS256
  local begin=$(date +%s%N)
  KAPI_DATA_DIR=$DATA/data SERVER_PORT=$PORT KAPI_RATE_LIMITS_ENABLED=${RATE_LIMITS:-false} \
  KAPI_IDENTITY_PASSWORD_ALGORITHM=$1 LOGGING_LEVEL_ROOT=WARN KAPI_JWT_ALGORITHM=${JWT:-HS256} \
  KAPI_BOOTSTRAP_ADMIN_EMAIL=$ADMIN_EMAIL KAPI_BOOTSTRAP_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    "$JAVA" -Xmx1g -jar "$JAR" >"$LOG" 2>&1 &
  SERVER=$!
  until curl -sf "localhost:$PORT/actuator/health" >/dev/null; do sleep 0.1; done
  STARTUP_MS=$(( ($(date +%s%N) - begin) / 1000000 ))
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$SERVER/status"; }
pg_port() { sed -n 4p "$DATA/data/postgres/postmaster.pid"; }
row_writes() {
  PGPASSWORD=$(od -An -tx1 -v "$DATA/data/secrets/postgres-password" | tr -d ' \n') psql -h 127.0.0.1 -p "$(pg_port)" -U postgres -d postgres -Atc \
    "SELECT sum(tup_inserted + tup_updated + tup_deleted) FROM pg_stat_database WHERE datname = 'postgres'"
}
wrk_run() { # $1 = threads, $2 = connections, $3 = script, rest = script args; WARMUP=seconds for a warm-up
  local t=$1 c=$2 s=$3; shift 3
  wrk -t"$t" -c"$c" -d"${WARMUP:-$DURATION}s" --latency -s "bench/$s" "http://localhost:$PORT" -- "$@"
}
rate() { awk '/Requests\/sec/ {print $2}'; }
pct() { awk -v p="$1" '$1 == p {print $2}'; }
login_body() { printf '{"username":"bench-user-%s@example.com","password":"benchmark-password"}' "$1"; }
json_field() { sed 's/.*"'"$1"'":"\([^"]*\)".*/\1/'; }
service_key() { # a service key of scope introspect, made by the bootstrap admin
  local admin=$(curl -sf "localhost:$PORT/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | json_field access_token)
  curl -sf "localhost:$PORT/api/admin/service-keys" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"bench","scopes":["introspect"]}' | json_field key
}
introspect_row() { # $1 = label; measures POST /oauth2/introspect for $access with a new service key
  local key=$(service_key) out
  curl -sf "localhost:$PORT/oauth2/introspect" -H "Authorization: Bearer $key" --data-urlencode "token=$access" \
    | grep -q '"active":true' || { echo "introspection does not answer active" >&2; exit 1; }
  WARMUP=5 wrk_run 4 64 introspect.lua "$key" "$access" >/dev/null
  out=$(wrk_run 4 64 introspect.lua "$key" "$access")
  ROWS+=("| POST /oauth2/introspect (64 connections), $1 | $(echo "$out" | rate)/s | $(echo "$out" | pct 50%) | $(echo "$out" | pct 99%) | $(echo "$out" | awk '/Non-2xx/ {print $5}') |")
}

ROWS=()
for ALGORITHM in bcrypt argon2; do
  echo "Server with $ALGORITHM..." >&2
  rm -rf "$DATA/data"
  start_server "$ALGORITHM"
  [ "$ALGORITHM" = bcrypt ] && FIRST_START_MS=$STARTUP_MS
  for i in $(seq 0 $((USERS - 1))); do
    curl -sf "localhost:$PORT/auth/register" -H 'Content-Type: application/json' \
      -d "{\"email\":\"bench-user-$i@example.com\",\"password\":\"benchmark-password\",\"full_name\":\"Bench $i\"}" >/dev/null
  done
  WARMUP=5 wrk_run 4 16 login.lua "$USERS" >/dev/null # the JIT compiler's work is not the hash's
  sleep 11 # pg_stat_database counters are flushed by idle backends within 10 s
  before=$(row_writes)
  out=$(wrk_run 4 16 login.lua "$USERS")
  logins=$(echo "$out" | awk '/requests in/ {print $1}')
  login_rate=$(echo "$out" | rate); login_p50=$(echo "$out" | pct 50%); login_p99=$(echo "$out" | pct 99%)
  rss_login=$(rss_mb)
  sleep 11; after=$(row_writes)
  writes_login=$(awk -v a="$after" -v b="$before" -v n="$logins" 'BEGIN {printf "%.1f", (a - b) / n}')
  raw=$(hash_rate "$ALGORITHM" 10)
  ratio=$(awk -v l="$login_rate" -v r="$raw" 'BEGIN {printf "%.2f", l / r}')
  label=$([ "$ALGORITHM" = bcrypt ] && echo "bcrypt cost 10" || echo "Argon2id (OWASP: 19 MiB, 2 iterations, 1 lane)")
  ROWS+=("| raw hash verifies, $label, all cores | $raw/s | | | |")
  ROWS+=("| POST /auth/login, $label | $login_rate/s | $login_p50 | $login_p99 | login ÷ raw hash = **$ratio**; $writes_login row writes per login |")

  if [ "$ALGORITHM" = bcrypt ]; then
    login_16() { # $1 = first user; sets tokens: one fresh session's refresh token for each of 16 users
      tokens=(); for i in $(seq "$1" $(($1 + 15))); do
        tokens+=("$(curl -sf "localhost:$PORT/auth/login" -H 'Content-Type: application/json' -d "$(login_body $i)" \
          | sed 's/.*"refresh_token":"\([^"]*\)".*/\1/')")
      done
    }
    # Warmed up like the other runs, on sessions of their own: the measured chains start fresh.
    login_16 17
    WARMUP=5 wrk_run 16 16 refresh.lua "${tokens[@]}" >/dev/null
    login_16 1
    access=$(curl -sf "localhost:$PORT/auth/login" -H 'Content-Type: application/json' -d "$(login_body 0)" \
      | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
    sleep 11; before=$(row_writes)
    out=$(wrk_run 16 16 refresh.lua "${tokens[@]}")
    refreshes=$(echo "$out" | awk '/requests in/ {print $1}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    ROWS+=("| POST /auth/refresh (16 rotating sessions) | $(echo "$out" | rate)/s | $(echo "$out" | pct 50%) | $(echo "$out" | pct 99%) | ${non2xx:-0} non-2xx |")
    rss_refresh=$(rss_mb)
    sleep 11; after=$(row_writes)
    writes_refresh=$(awk -v a="$after" -v b="$before" -v n="$refreshes" 'BEGIN {printf "%.1f", (a - b) / n}')
    WARMUP=5 wrk_run 4 64 me.lua "$access" >/dev/null
    out=$(wrk_run 4 64 me.lua "$access")
    ROWS+=("| GET /users/me (64 connections) | $(echo "$out" | rate)/s | $(echo "$out" | pct 50%) | $(echo "$out" | pct 99%) | session check from the in-process cache |")
    rss_me=$(rss_mb)
    introspect_row "rate limits off"
    stop_server
    # The restart is measured with rate limits on: introspection's limit is counted in memory, per instance.
    RATE_LIMITS=true start_server bcrypt
    RESTART_MS=$STARTUP_MS
    access=$(curl -sf "localhost:$PORT/auth/login" -H 'Content-Type: application/json' -d "$(login_body 2)" \
      | json_field access_token)
    introspect_row "rate limits on"
  fi
  stop_server
done

# Asymmetric signing keys: a refresh signs one access token, so its rate shows the signature's cost; profile
# reads and introspection verify a token once per instance (the verified token is cached).
for JWT_ALGORITHM in ES256 EdDSA; do
  echo "Server with $JWT_ALGORITHM tokens..." >&2
  JWT=$JWT_ALGORITHM start_server bcrypt
  login_16 17
  WARMUP=5 wrk_run 16 16 refresh.lua "${tokens[@]}" >/dev/null
  login_16 33
  out=$(wrk_run 16 16 refresh.lua "${tokens[@]}")
  ROWS+=("| POST /auth/refresh (16 rotating sessions), $JWT_ALGORITHM | $(echo "$out" | rate)/s | $(echo "$out" | pct 50%) | $(echo "$out" | pct 99%) | $(echo "$out" | awk '/Non-2xx/ {print $5}') |")
  access=$(curl -sf "localhost:$PORT/auth/login" -H 'Content-Type: application/json' -d "$(login_body 3)" \
    | json_field access_token)
  WARMUP=5 wrk_run 4 64 me.lua "$access" >/dev/null
  out=$(wrk_run 4 64 me.lua "$access")
  ROWS+=("| GET /users/me (64 connections), $JWT_ALGORITHM | $(echo "$out" | rate)/s | $(echo "$out" | pct 50%) | $(echo "$out" | pct 99%) | |")
  introspect_row "$JWT_ALGORITHM, rate limits off"
  stop_server
done

echo
echo "| what | throughput | p50 | p99 | notes |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "- Row writes per refresh: $writes_refresh. Server RSS: $rss_login MB after logins, $rss_refresh MB after refreshes, $rss_me MB after profile reads (-Xmx1g)."
echo "- Start-up to first answer: $FIRST_START_MS ms on an empty data directory (initdb included), $RESTART_MS ms on a restart."
echo "- $(nproc) cores; wrk runs of ${DURATION}s on loopback; JDK: $("$JAVA" -version 2>&1 | head -1)."
