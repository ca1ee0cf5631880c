#!/usr/bin/env bash
# Installs what the client/ tests run, once per machine: Debian's Node.js and npm (when missing), then the
# npm packages of client/ (httpyac, which runs the .http examples) and client/typescript/ (openapi-typescript,
# openapi-fetch, typescript) exactly as their package-lock.json pin them. A folder whose lock file has not
# changed since its last install is left alone.
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    run=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    run=(sudo -n)
  else
    echo "The client tests need Debian's nodejs and npm; install them with:" >&2
    echo "  sudo apt-get install -y nodejs npm" >&2
    exit 1
  fi
  echo "Installing nodejs and npm from Debian for the client tests..."
  export DEBIAN_FRONTEND=noninteractive
  if ! "${run[@]}" apt-get install -y -qq nodejs npm >/dev/null; then
    "${run[@]}" apt-get update -qq
    "${run[@]}" apt-get install -y -qq nodejs npm >/dev/null
  fi
fi

for dir in "$root/client" "$root/client/typescript"; do
  stamp="$dir/node_modules/.kapi-installed-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    continue
  fi
  echo "npm ci in ${dir#"$root"/}"
  (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
done
