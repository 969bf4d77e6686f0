#!/usr/bin/env bash
# Installs Debian's Chromium for the browser end-to-end test (test/browser.test.ts) unless
# /usr/bin/chromium is already there. Idempotent, non-interactive and quiet (apt's output is shown only
# when it fails). Needs root (or sudo) and Debian's package mirrors.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run() {
  if ! $SUDO env DEBIAN_FRONTEND=noninteractive "$@" >"$log" 2>&1; then
    echo "install-chromium.sh: '$*' failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}

echo "install-chromium.sh: installing Debian's chromium with apt-get" >&2
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends chromium

if [ ! -x /usr/bin/chromium ]; then
  echo "install-chromium.sh: apt-get finished but /usr/bin/chromium is missing" >&2
  exit 1
fi
echo "install-chromium.sh: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')" >&2
