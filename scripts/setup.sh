#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh machine, and reuses what is there:
# npm packages (including Node.js 24 for the action's runtime) and the Pulumi toolchain.
# Prints the Pulumi toolchain directory on stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: Node.js and npm are needed (any Node.js >= 20 installs Node.js 24 for the action)" >&2
  exit 1
fi
if [[ ! -x node_modules/.bin/node || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund >&2
fi
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
bash scripts/pulumi-toolchain.sh
