#!/usr/bin/env bash
# The hardening issue's attacks, tried as an anonymous or ordinary client would against a fresh
# `java -jar target/kapi.jar` on loopback: for each, the answer's status, its time and the server's
# resident memory afterwards. Every request is bounded (curl --max-time). Usage: bench/attacks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18010
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)/bin/java}
API=http://127.0.0.1:$PORT
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
[ -f target/kapi.jar ] || mvn -B -q -DskipTests package

DATA=$(mktemp -d)
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT
KAPI_DATA_DIR=$DATA/data SERVER_PORT=$PORT KAPI_WHATSAPP_APP_SECRET=attack-secret KAPI_ADMIN_SECRET=attack-admin-secret-0123456789 LOGGING_LEVEL_ROOT=WARN \
  "$JAVA" -jar target/kapi.jar >"$DATA/server.log" 2>&1 &
SERVER=$!
until curl -sf "$API/actuator/health" >/dev/null; do sleep 0.2; done
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$SERVER/status"; }

EMAIL="attacker-$RANDOM@example.com"
curl -sf "$API/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"correct-horse-9\",\"full_name\":\"Saldırgan\"}" >/dev/null
TOKEN=$(curl -sf "$API/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$EMAIL\",\"password\":\"correct-horse-9\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
ADMIN_EMAIL="admin-$RANDOM@example.com"
curl -sf "$API/auth/register/admin" -H 'Content-Type: application/json' -d "{\"email\":\"$ADMIN_EMAIL\",\
\"password\":\"correct-horse-9\",\"full_name\":\"Tek Yönetici\",\"admin_secret\":\"attack-admin-secret-0123456789\"}" >/dev/null
ADMIN=$(curl -sf "$API/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$ADMIN_EMAIL\",\"password\":\"correct-horse-9\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
ADMIN_ID=$(curl -sf "$API/api/admin/users?search=$ADMIN_EMAIL" -H "Authorization: Bearer $ADMIN" \
  | sed 's/.*"userId":"\([^"]*\)".*/\1/')
truncate -s 300M "$DATA/300mb"
truncate -s 30M "$DATA/30mb"

echo "| attack | status | time | server RSS after |"
echo "|---|---|---|---|"
attack() { # $1 = name, rest = curl arguments
  local name=$1; shift
  local result
  result=$(curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}' "$@" || echo "000 timeout")
  printf '| %s | %s | %s ms | %s MB |\n' "$name" "${result% *}" \
    "$(awk -v t="${result#* }" 'BEGIN { printf "%.0f", t * 1000 }')" "$(rss_mb)"
}
auth=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')
attack "backtest, candle close 1e-20000000" "${auth[@]}" "$API/api/trading/backtests" \
  -d '{"strategy":"simple","params":{"buy_below":1,"sell_above":2},"candles":"1704067200000,1,1,1,1e-20000000,1\n"}'
attack "backtest, start_price 1e400000" "${auth[@]}" "$API/api/trading/backtests" \
  -d '{"strategy":"simple","params":{"buy_below":1,"sell_above":2},"generate":{"seed":1,"count":10,"start_price":1e400000}}'
attack "300 MB to the webhook, with a length" -X POST -T "$DATA/300mb" -H 'Content-Type: application/json' \
  "$API/api/messaging/webhooks/whatsapp"
attack "300 MB to the webhook, chunked" -X POST -T - -H 'Transfer-Encoding: chunked' -H 'X-Hub-Signature-256: sha256=0' \
  -H 'Content-Type: application/json' "$API/api/messaging/webhooks/whatsapp" < "$DATA/300mb"
attack "30 MB CSV import" -X POST -T "$DATA/30mb" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' \
  "$API/api/messaging/customers/import"
attack "reset confirmation, made-up token" -H 'Content-Type: application/json' "$API/auth/forgot-password/confirm" \
  -d '{"token":"made-up","new_password":"another-horse-7"}'
attack "login with U+0000" -H 'Content-Type: application/json' "$API/auth/login" \
  -d '{"username":"a\u0000b","password":"whatever-123"}'
attack "bot quote_amount 99999999999999999999" "${auth[@]}" "$API/api/trading/bots" \
  -d '{"name":"b","symbol":"BTCUSDT","quote_amount":99999999999999999999,"params":{"buy_below":1,"sell_above":2}}'
attack "manual trade, price x quantity overflows" "${auth[@]}" "$API/api/trading/trades" \
  -d '{"symbol":"BTCUSDT","side":"buy","price":99999999999999999999,"quantity":99999999999999999999}'
attack "GET /events?skip=2147483640" -H "Authorization: Bearer $TOKEN" "$API/events?skip=2147483640"
attack "the only admin demotes itself" -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  "$API/api/admin/users/$ADMIN_ID" -d '{"userTypeName":"user"}'
attack "the only admin deletes itself" -X DELETE -H "Authorization: Bearer $ADMIN" "$API/users/me"
