#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh machine, and reuses what is there:
# npm packages, Node.js 24 (the action's runtime) and the Pulumi toolchain.
# Prints the directories to put first on PATH (Node.js 24, then the Pulumi toolchain) on stdout:
#
#   PATH="$(bash scripts/setup.sh):$PATH"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: Node.js and npm are needed (with any Node.js >= 20, Node.js 24 for the action is fetched once)" >&2
  exit 1
fi
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund >&2
fi
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
node_dir="$(bash scripts/node-toolchain.sh)"
pulumi_dir="$(bash scripts/pulumi-toolchain.sh)"
echo "$node_dir:$pulumi_dir"
