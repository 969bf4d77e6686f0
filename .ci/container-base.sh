#!/usr/bin/env bash
# Makes the local stand-in for the official node:24-bookworm-slim image, for machines that reach Debian's
# mirror and the npm registry but no image registry. Prints the image's name on stdout (the last line).
#   1. debootstrap --variant=minbase of Debian bookworm from the mirror the machine's apt sources name
#      (read from /etc/apt/sources.list*, never written here);
#   2. Node from the npm registry (node-linux-<arch>, the package .ci/test-other-node-versions.sh uses)
#      and npm (the npm package), laid out as the official image does: /usr/local/bin/node,
#      /usr/local/lib/node_modules/npm, /usr/local/bin/npm and npx as links, and the user node (1000:1000);
#   3. podman import.
# Cached: an image of that name already in podman is reused; otherwise the root filesystem's tarball in
# .cache/container/ (ignored by git) is imported if a previous run left it. Needs root (debootstrap, chroot).
set -euo pipefail
source "$(dirname "$0")/container-env.sh"
NPM_VERSION=11.21.2 # pinned: the base must not change under a cached tarball's name

if podman image exists "$BASE_IMAGE_LOCAL"; then
  echo "container-base.sh: $BASE_IMAGE_LOCAL already in podman" >&2
  echo "$BASE_IMAGE_LOCAL"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "container-base.sh: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
tarball="$CACHE_DIR/base-${BASE_SUITE}-node${BASE_NODE_VERSION}-npm${NPM_VERSION}-${arch}.tar"

# The machine's Debian mirror: the first deb URI whose suites include the machine's own release (deb822
# .sources files or one-line .list entries). Security and updates archives are named for other suites.
debian_mirror() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  shopt -s nullglob
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    awk -v want="$codename" '
      /^[[:space:]]*$/ { if (deb && uri != "" && hit) { print uri; exit } deb = 0; uri = ""; hit = 0; next }
      tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
      tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == want) hit = 1 }
      END { if (deb && uri != "" && hit) print uri }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v want="$codename" '$1 == "deb" {
      i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
      if ($(i + 1) == want) print $i }' "$f"
  done
}

if [ ! -f "$tarball" ]; then
  mirror="$(debian_mirror | head -1)"
  if [ -z "$mirror" ]; then
    echo "container-base.sh: found no Debian mirror in /etc/apt/sources.list*" >&2
    exit 1
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  echo "container-base.sh: debootstrap --variant=minbase $BASE_SUITE (the machine's mirror)" >&2
  if ! debootstrap --variant=minbase "$BASE_SUITE" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -30 "$work/debootstrap.log" >&2
    exit 1
  fi

  echo "container-base.sh: node-linux-${arch}@${BASE_NODE_VERSION} and npm@${NPM_VERSION} from the npm registry" >&2
  (cd "$work" && npm pack --silent "node-linux-${arch}@${BASE_NODE_VERSION}" "npm@${NPM_VERSION}" >/dev/null)
  mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/usr/local/include"
  tar -xzf "$work/node-linux-${arch}-${BASE_NODE_VERSION}.tgz" -C "$work/node" --strip-components=1
  install -m 0755 "$work/node/bin/node" "$rootfs/usr/local/bin/node"
  cp -a "$work/node/include/node" "$rootfs/usr/local/include/node"
  tar -xzf "$work/npm-${NPM_VERSION}.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" /usr/local/bin/node --version >/dev/null
  # The official image's user: the Containerfile runs as it.
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  # As the official slim image: no package lists or caches shipped.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb

  mkdir -p "$CACHE_DIR"
  tar --numeric-owner -C "$rootfs" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
fi

echo "container-base.sh: podman import $(du -h "$tarball" | cut -f1) as $BASE_IMAGE_LOCAL" >&2
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_VERSION='"$BASE_NODE_VERSION" \
  --change 'CMD ["node"]' \
  "$tarball" "$BASE_IMAGE_LOCAL" >/dev/null
echo "$BASE_IMAGE_LOCAL"
