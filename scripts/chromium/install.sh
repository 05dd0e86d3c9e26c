#!/usr/bin/env bash
# Installs Chromium from Debian's packages for the web catalog's browser tests (test/browser), which
# drive it with playwright-core: a browser download (`npx playwright install`) is not possible where
# only the package registries are reachable. As root it runs apt-get; otherwise it says what to run.
#   TESSERA_CHROMIUM  the browser binary (default /usr/bin/chromium)
set -euo pipefail
binary="${TESSERA_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$binary" ]]; then
  echo "chromium already installed: $binary"
  exit 0
fi
if [[ "$(id -u)" != "0" ]]; then
  echo "error: $binary is missing and this is not root: install Debian's Chromium with 'sudo apt-get install -y chromium' (the browser tests need it)" >&2
  exit 1
fi
command -v apt-get >/dev/null || { echo "error: $binary is missing and there is no apt-get: install Chromium and set TESSERA_CHROMIUM to its binary" >&2; exit 1; }
started=$(date +%s)
# An old package list may not know the current chromium version.
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
[[ -x "$binary" ]] || { echo "error: apt-get installed chromium, but $binary is not there; set TESSERA_CHROMIUM" >&2; exit 1; }
echo "chromium installed in $(( $(date +%s) - started )) s: $("$binary" --version 2>/dev/null || echo "$binary")"
