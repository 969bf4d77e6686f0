#!/usr/bin/env bash
# Installs the Debian packages the tests use, unless they are already there: chromium for the browser
# tests (test/browser.test.ts), redis-server for the Redis cache tests (test/cache.test.ts, which
# start their own servers) and haproxy for the replicas test (test/replicas.test.ts, which puts one
# in front of three gateway processes); for .ci/container-smoke.sh (the image, the compose stack and
# podman kube play): podman, runc, podman-compose, debootstrap (the local base image), netavark,
# aardvark-dns (the compose network's DNS), catatonit (the pods' infra process) and iptables.
# Idempotent, non-interactive and quiet (apt's output is shown only when it fails). Needs root (or sudo) and Debian's package mirrors.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
[ -x /usr/bin/podman ] || missing+=(podman)
[ -x /usr/sbin/runc ] || missing+=(runc)
[ -x /usr/bin/podman-compose ] || missing+=(podman-compose)
[ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
[ -x /usr/lib/podman/netavark ] || missing+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || missing+=(aardvark-dns)
[ -x /usr/libexec/podman/catatonit ] || missing+=(catatonit)
[ -x /usr/sbin/iptables ] || missing+=(iptables)
if [ ${#missing[@]} -eq 0 ]; then
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
    echo "install-debian-packages.sh: '$*' failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}

echo "install-debian-packages.sh: installing ${missing[*]} with apt-get" >&2
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends "${missing[@]}"

for binary in /usr/bin/chromium /usr/bin/redis-server /usr/sbin/haproxy /usr/bin/podman /usr/sbin/runc /usr/bin/podman-compose /usr/sbin/debootstrap; do
  if [ ! -x "$binary" ]; then
    echo "install-debian-packages.sh: apt-get finished but $binary is missing" >&2
    exit 1
  fi
done
echo "install-debian-packages.sh: $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/redis-server --version 2>/dev/null | cut -d' ' -f1-3), $(/usr/sbin/haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3), $(/usr/bin/podman --version 2>/dev/null)" >&2
