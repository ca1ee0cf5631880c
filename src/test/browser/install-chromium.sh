#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the admin console's browser tests, once per machine.
set -euo pipefail

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  run=(sudo -n)
else
  echo "The browser tests need Debian's chromium and chromium-driver; install them with:" >&2
  echo "  sudo apt-get install -y chromium chromium-driver" >&2
  exit 1
fi

echo "Installing chromium and chromium-driver from Debian for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
if ! "${run[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null; then
  "${run[@]}" apt-get update -qq
  "${run[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null
fi
chromium --version
