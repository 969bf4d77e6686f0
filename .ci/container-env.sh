# Sourced by .ci/container-*.sh: the podman settings CI uses, and where the base image is cached.
# CONTAINERS_CONF replaces podman's user containers.conf for these scripts only (the machine's /etc is
# not edited), and it is inherited by podman-compose's podman calls.
CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$CI_DIR/.." && pwd)"
export CONTAINERS_CONF="$CI_DIR/containers.conf"
# Ignored by git (.gitignore): the debootstrap root filesystem's tarball, reused by later runs.
CACHE_DIR="$REPO_DIR/.cache/container"
# The Debian release of the official node:24-bookworm-slim image the Containerfile defaults to.
BASE_SUITE=bookworm
# The Node version of the local base: one README names (and .ci/run tests).
BASE_NODE_VERSION=24.22.3
BASE_IMAGE_LOCAL="localhost/braze-gateway-base:${BASE_SUITE}-node${BASE_NODE_VERSION}"
