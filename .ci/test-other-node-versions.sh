#!/usr/bin/env bash
# Runs the README's test command again on each Node.js version given (e.g. 22.23.5 24.22.3 26.12.1),
# with Node binaries from the npm registry (the node-linux-<arch> packages the `node` package installs;
# nothing else is downloaded). The node_modules installed by `npm ci` are reused: the project has no
# native addons. Every version is run even when one fails; the exit code is 1 if any failed, and the
# last line names them.
set -uo pipefail
cd "$(dirname "$0")/.."

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "test-other-node-versions.sh: no Node package for $(uname -m)" >&2; exit 1 ;;
esac

failed=()
for version in "$@"; do
  dir="$(mktemp -d)"
  echo "== Node ${version}: installing node-linux-${arch}@${version} from the npm registry"
  if ! npm install --prefix "$dir" --no-save --no-audit --no-fund --silent "node-linux-${arch}@${version}"; then
    echo "== Node ${version}: could not be installed" >&2
    failed+=("${version} (install)")
    continue
  fi
  bin="$dir/node_modules/node-linux-${arch}/bin"
  echo "== Node ${version}: $("$bin/node" --version), running npm test"
  # npm's own script runs on the first node in PATH, and so do the tests and the processes they start.
  if PATH="$bin:$PATH" npm test; then
    echo "== Node ${version}: passed"
  else
    echo "== Node ${version}: FAILED" >&2
    failed+=("${version}")
  fi
  rm -rf "$dir"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "test-other-node-versions.sh: failed on Node ${failed[*]}" >&2
  exit 1
fi
echo "test-other-node-versions.sh: passed on Node $*"
