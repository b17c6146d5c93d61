#!/usr/bin/env bash
# Prints the directory that holds a usable Pulumi toolchain: `pulumi`, `pulumi-language-nodejs`
# and `pulumi-resource-pulumi-nodejs`. Callers put it first on PATH:
#
#   PATH="$(scripts/pulumi-toolchain.sh):$PATH"
#
# A Pulumi installation already on PATH is used when its version is suitable. Otherwise the CLI
# and a Node.js language host are built from the Go module proxy at the pinned release and
# cached under .cache/pulumi/<version>/bin (git-ignored); later runs reuse the cache.
#
# With a version argument (`scripts/pulumi-toolchain.sh v3.224.0`) it builds and caches that
# release of the CLI beside the default, ignoring PATH: the version matrix runs the integration
# tests against it (PULUMISCALE_PULUMI_VERSION=v3.224.0 bash scripts/test.sh).
set -euo pipefail

readonly DEFAULT_RELEASE="v3.274.1"
# The oldest release the version matrix has passed (docs/operations.md, "Supported Pulumi CLI versions").
readonly MIN_VERSION="3.224.0"

PULUMI_RELEASE="${1:-${PULUMISCALE_PULUMI_VERSION:-$DEFAULT_RELEASE}}"
[[ "$PULUMI_RELEASE" == v* ]] || PULUMI_RELEASE="v$PULUMI_RELEASE"
readonly PULUMI_RELEASE

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${PULUMISCALE_CACHE_DIR:-$root/.cache}/pulumi/$PULUMI_RELEASE"
bin="$cache/bin"
log() { echo "pulumi-toolchain: $*" >&2; }

# version_ok VERSION -> 0 when VERSION is at least MIN_VERSION and not a release known to
# corrupt state or mis-handle --target (3.66.0-3.67.1, 3.120.0).
version_ok() {
  local v="${1#v}"
  v="${v%%[-+]*}"
  [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
  [[ "$(printf '%s\n%s\n' "$MIN_VERSION" "$v" | sort -V | head -n1)" == "$MIN_VERSION" ]] || return 1
  case "$v" in 3.66.* | 3.67.0 | 3.67.1 | 3.120.0) return 1 ;; esac
  return 0
}

dynamic_provider_script() {
  local script="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [[ -f "$script" ]] || { log "run npm ci first: $script is missing"; exit 1; }
  echo "$script"
}

# 1. A complete installation on PATH.
if [[ "$PULUMI_RELEASE" == "$DEFAULT_RELEASE" && -z "${PULUMISCALE_BUILD_PULUMI:-}" ]] && command -v pulumi >/dev/null 2>&1 \
  && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  installed="$(pulumi version 2>/dev/null || true)"
  if version_ok "$installed"; then
    dir="$(dirname "$(command -v pulumi)")"
    if ! command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1; then
      mkdir -p "$bin" && ln -sf "$(dynamic_provider_script)" "$bin/pulumi-resource-pulumi-nodejs"
      log "using pulumi $installed from $dir (dynamic provider from $bin)"
      echo "$bin:$dir"
      exit 0
    fi
    log "using pulumi $installed from $dir"
    echo "$dir"
    exit 0
  fi
  log "pulumi $installed on PATH is not suitable (need >= $MIN_VERSION); building $PULUMI_RELEASE"
fi

# The Go module that pins the CLI build: tools/pulumi for the default release; for another release,
# a module generated beside its cache that requires pkg/v3 and sdk/v3 at that release. The language
# host is always built from tools/pulumi: it speaks the same gRPC protocol to older CLIs.
module="$root/tools/pulumi"
if [[ "$PULUMI_RELEASE" != "$DEFAULT_RELEASE" ]]; then
  module="$cache/module"
  if [[ ! -f "$module/go.sum" ]]; then
    command -v go >/dev/null 2>&1 || { log "Go is needed to build the Pulumi CLI $PULUMI_RELEASE"; exit 1; }
    log "resolving the modules of the Pulumi CLI $PULUMI_RELEASE"
    mkdir -p "$module"
    cp "$root/tools/pulumi/tools.go" "$module/tools.go"
    cat >"$module/go.mod" <<MOD
module pulumiscale.dev/tools/pulumi-$PULUMI_RELEASE

go 1.26

require (
	github.com/pulumi/pulumi/pkg/v3 $PULUMI_RELEASE
	github.com/pulumi/pulumi/sdk/v3 $PULUMI_RELEASE
)
MOD
    (cd "$module" && go mod tidy) >&2
  fi
fi

# 2. The cache, valid while the module files that pin the build are unchanged.
stamp="$(cat "$module/go.mod" "$module/go.sum" "$root/tools/pulumi/language-nodejs/main.go" \
  | sha256sum | cut -c1-16)"
if [[ -x "$bin/pulumi" && -x "$bin/pulumi-language-nodejs" && "$(cat "$cache/stamp" 2>/dev/null)" == "$stamp" ]]; then
  ln -sf "$(dynamic_provider_script)" "$bin/pulumi-resource-pulumi-nodejs"
  echo "$bin"
  exit 0
fi

# 3. Build from the Go module proxy.
command -v go >/dev/null 2>&1 || { log "Go is needed to build the Pulumi CLI; install Go 1.26 or put pulumi on PATH"; exit 1; }
log "building the Pulumi CLI $PULUMI_RELEASE and the Node.js language host (a few minutes, once)"
mkdir -p "$bin"
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_RELEASE"
(
  cd "$module"
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$bin/pulumi" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
) >&2
(
  cd "$root/tools/pulumi"
  go build -trimpath -ldflags "-s -w -X main.version=$PULUMI_RELEASE" -o "$bin/pulumi-language-nodejs" \
    ./language-nodejs
) >&2
ln -sf "$(dynamic_provider_script)" "$bin/pulumi-resource-pulumi-nodejs"
built="$("$bin/pulumi" version)"
[[ "$built" == "$PULUMI_RELEASE" ]] || { log "built CLI reports '$built', expected $PULUMI_RELEASE"; exit 1; }
echo "$stamp" >"$cache/stamp"
log "built pulumi $built in $bin"
echo "$bin"
