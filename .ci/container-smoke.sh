#!/usr/bin/env bash
# CI for what operators run (docs/deployment.md), with podman (Debian's, from .ci/install-debian-packages.sh):
#   1. the base: .ci/container-base.sh (debootstrap + Node from the npm registry; cached in .cache/);
#   2. the image from Containerfile, and stand-ins for the official redis and haproxy images;
#   3. the image alone, read-only and unprivileged, in demo mode: /healthz, /ready, the HEALTHCHECK, a
#      GraphQL query answered with data, an MCP session listing its tools (MCP_ENABLED=true), then
#      SIGTERM: exit 0 within STOP_LIMIT_S;
#   4. compose.yaml (3 replicas, Redis, haproxy): identical requests at once through the balancer make
#      exactly one Braze call, summed over the three replicas' metrics;
#   5. deploy/kubernetes: schema validation, then `podman kube play` of the Deployment, queried.
# Each step is timed. Containers, pods and networks are removed on every exit (trap); images are kept so
# that a later run builds from cache. Host ports 18401-18403 (the tests use ephemeral ports, and run before).
set -euo pipefail
source "$(dirname "$0")/container-env.sh"
cd "$REPO_DIR"

IMAGE=localhost/braze-analytics-gateway:latest # the name compose.yaml and deploy/kubernetes use
REDIS_IMAGE=localhost/braze-ci-redis:latest
HAPROXY_IMAGE=localhost/braze-ci-haproxy:latest
SMOKE=braze-ci-smoke
PROJECT=braze-ci-compose
SMOKE_PORT=18401
COMPOSE_PORT=18402
KUBE_PORT=18403
STOP_LIMIT_S=5
BURST=30
work="$(mktemp -d)"
http() { node "$CI_DIR/container-http.mjs" "$@"; }

cleanup() {
  local status=$?
  set +e
  podman rm -f -t 0 "$SMOKE" >/dev/null 2>&1
  if [ -f compose.yaml ]; then
    podman-compose -p "$PROJECT" down -t 0 >/dev/null 2>&1
    podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" | xargs -r podman rm -f -t 0 >/dev/null 2>&1
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1
  fi
  [ -f "$work/kube.yaml" ] && podman kube down "$work/kube.yaml" >/dev/null 2>&1
  # The network podman kube play makes for itself (fails harmlessly while another pod uses it).
  podman network rm podman-default-kube-network >/dev/null 2>&1
  rm -rf "$work"
  if [ $status -ne 0 ]; then echo "container-smoke.sh: FAILED (everything started was removed)" >&2; fi
  exit $status
}
trap cleanup EXIT

times=()
step_start=0
step() { step_start=$(date +%s); echo "== container: $1"; }
step_done() { local s=$(( $(date +%s) - step_start )); times+=("$1: ${s} s"); echo "== container: $1 took ${s} s"; }
fail() { echo "container-smoke.sh: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then fail "needs root (debootstrap, and rootful podman for the compose network)"; fi
for tool in podman podman-compose debootstrap; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run .ci/install-debian-packages.sh"
done
step "base image"
base="$(bash "$CI_DIR/container-base.sh" | tail -1)"
step_done "base image"

step "build ($IMAGE, FROM $base)"
# Behind a TLS-inspecting proxy the build's npm needs the machine's CAs (the Containerfile's ARG says how).
ca_args=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  ca_args=(-v "$NODE_EXTRA_CA_CERTS:/run/extra-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/extra-ca.crt)
fi
# --format docker: the OCI format has no HEALTHCHECK.
podman build --quiet --format docker "${ca_args[@]}" --build-arg "BASE_IMAGE=$base" \
  --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)" -t "$IMAGE" . >"$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; fail "podman build failed"; }
for target in redis haproxy; do
  tag="localhost/braze-ci-${target}:latest"
  podman build --quiet --build-arg "BASE_IMAGE=$base" --target "$target" -t "$tag" \
    -f "$CI_DIR/container-services.Containerfile" "$CI_DIR" >"$work/build-$target.log" 2>&1 \
    || { tail -40 "$work/build-$target.log" >&2; fail "building the $target stand-in failed"; }
done
facts="$(podman image inspect "$IMAGE" --format '{{.Config.User}} {{index .Config.Labels "org.opencontainers.image.title"}} {{index .Config.ExposedPorts "4000/tcp"}}')"
echo "image: $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1 / 1e6}'); user, title label, port: $facts"
[ "$facts" = "1000:1000 braze-analytics-gateway {}" ] || fail "the image is not run as 1000:1000, or lacks its OCI title label or port 4000"
step_done "build"

step "the image alone: demo mode, probes, a query, SIGTERM"
podman run -d --name "$SMOKE" --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges -e MCP_ENABLED=true \
  -p "127.0.0.1:$SMOKE_PORT:4000" "$IMAGE" >/dev/null 2>"$work/run.err" || { cat "$work/run.err" >&2; fail "podman run failed"; }
http wait "http://127.0.0.1:$SMOKE_PORT/healthz" 60 || { podman logs "$SMOKE" >&2; fail "/healthz never answered 200"; }
[ "$(http status "http://127.0.0.1:$SMOKE_PORT/ready")" = 200 ] || fail "/ready is not 200"
podman healthcheck run "$SMOKE" >/dev/null 2>&1 || fail "the image's HEALTHCHECK failed"
# Each check into a variable first: set -e ignores a failed substitution inside echo's arguments.
sum="$(http query "http://127.0.0.1:$SMOKE_PORT/graphql")"
echo "query answered: sum $sum"
tools="$(http mcp "http://127.0.0.1:$SMOKE_PORT/mcp")"
echo "MCP (MCP_ENABLED=true): $tools tools listed"
podman logs "$SMOKE" 2>&1 | grep -q 'SIMULATED Braze' || fail "the log does not say demo mode"
stop_start=$(date +%s%N)
podman kill --signal TERM "$SMOKE" >/dev/null
# podman wait has no deadline of its own.
timeout $(( STOP_LIMIT_S + 5 )) podman wait "$SMOKE" >"$work/exit" 2>/dev/null || fail "still running $(( STOP_LIMIT_S + 5 )) s after SIGTERM"
stop_ms=$(( ($(date +%s%N) - stop_start) / 1000000 ))
exit_code="$(tail -1 "$work/exit")"
echo "SIGTERM: exit code $exit_code after $stop_ms ms"
[ "$exit_code" = 0 ] || { podman logs "$SMOKE" >&2; fail "exit code $exit_code after SIGTERM, not 0"; }
[ "$stop_ms" -le $(( STOP_LIMIT_S * 1000 )) ] || fail "SIGTERM took $stop_ms ms, more than $STOP_LIMIT_S s"
podman logs "$SMOKE" 2>&1 | grep -q 'SIGTERM received' || fail "the gateway did not log the SIGTERM"
podman rm "$SMOKE" >/dev/null 2>&1
step_done "image smoke test"

step "compose.yaml: 3 replicas, Redis, haproxy"
export GATEWAY_IMAGE="$IMAGE" REDIS_IMAGE HAPROXY_IMAGE GATEWAY_PORT=$COMPOSE_PORT
# Demo mode whatever the CI machine's environment holds; MCP on, to see a session served by every replica.
export MCP_ENABLED=true
unset BRAZE_API_KEY BRAZE_INSTANCE BRAZE_REST_ENDPOINT AUTH_TOKENS AUTH_JWKS_URL AUTH_JWT_ISSUER AUTH_JWT_AUDIENCE
podman-compose -p "$PROJECT" up -d >"$work/compose.log" 2>&1 || { cat "$work/compose.log" >&2; fail "podman-compose up failed"; }
lb="http://127.0.0.1:$COMPOSE_PORT"
http wait "$lb/healthz" 60 || fail "the balancer never answered /healthz"
# Every replica up behind the balancer: haproxy has sent a probe request to each of the three.
http replicas "$lb/healthz" 3 60 || { podman-compose -p "$PROJECT" logs >&2 2>&1; fail "haproxy never reached the 3 replicas"; }
served="$(http burst "$lb/graphql" "$BURST")"
echo "$BURST identical requests through haproxy, served by: $served"
calls=0
for replica in 1 2 3; do
  n="$(podman exec "${PROJECT}_gateway-${replica}_1" node -e "fetch('http://127.0.0.1:4000/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))" | http attempts)"
  echo "replica $replica: $n Braze call(s)"
  calls=$(( calls + n ))
done
[ "$calls" -eq 1 ] || fail "$BURST identical requests over 3 replicas made $calls Braze calls, not 1"
# One MCP session, its requests spread round-robin: every replica finds it (kept in Redis), no stickiness.
mcp="$(http mcp "$lb/mcp")"
echo "MCP session through haproxy: tools and replicas $mcp"
echo "$mcp" | grep -q 'gateway-1,gateway-2,gateway-3' || fail "the MCP session was not answered by all three replicas: $mcp"
for replica in 1 2 3; do
  echo "$served" | grep -q "\"gateway-$replica\"" || fail "haproxy sent no request to gateway-$replica: $served"
done
podman-compose -p "$PROJECT" down -t 20 >>"$work/compose.log" 2>&1 || fail "podman-compose down failed"
podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
step_done "compose stack"

step "deploy/kubernetes: schema validation and podman kube play"
npm run --silent deploy:validate
# podman kube play publishes each containerPort on the host, so three replicas of one port collide on one
# machine: CI plays the Deployment with one replica, on a host port of its own. Nothing else changes.
sed -e 's/^  replicas: 3$/  replicas: 1/' -e 's/^\( *\)containerPort: 4000$/\1containerPort: 4000\n\1hostPort: '"$KUBE_PORT"'/' \
  deploy/kubernetes/deployment.yaml >"$work/kube.yaml"
grep -q "hostPort: $KUBE_PORT" "$work/kube.yaml" && grep -q '^  replicas: 1$' "$work/kube.yaml" \
  || fail "deployment.yaml no longer has the lines CI adapts (replicas: 3, containerPort: 4000)"
podman kube play --configmap deploy/kubernetes/configmap.yaml "$work/kube.yaml" >"$work/kube.log" 2>&1 \
  || { cat "$work/kube.log" >&2; fail "podman kube play failed"; }
kube="http://127.0.0.1:$KUBE_PORT"
http wait "$kube/healthz" 60 || { podman logs braze-analytics-gateway-pod-0-gateway >&2; fail "the pod never answered /healthz"; }
[ "$(http status "$kube/ready")" = 200 ] || fail "the pod's /ready is not 200"
sum="$(http query "$kube/graphql")"
echo "pod answered: sum $sum"
settings="$(podman inspect braze-analytics-gateway-pod-0-gateway --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Memory}}')"
echo "pod's container: user, read-only root, memory limit: $settings"
[ "$settings" = "1000:1000 true 536870912" ] || fail "the pod does not run as 1000:1000, read-only, with 512 MiB"
podman kube down "$work/kube.yaml" >/dev/null 2>&1 || fail "podman kube down failed"
rm -f "$work/kube.yaml"
step_done "kubernetes"

echo "container-smoke.sh: passed (${times[*]/%/;})"
