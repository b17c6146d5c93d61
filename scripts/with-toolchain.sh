#!/usr/bin/env bash
# Runs a command with the project's toolchain first on PATH (Node.js 24, the Pulumi CLI, the npm
# packages' binaries), installing what is missing first:
#
#   bash scripts/with-toolchain.sh node bench/scaling.ts
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PATH="$(bash "$root/scripts/setup.sh"):$root/node_modules/.bin:$PATH"
export PATH
exec "$@"
