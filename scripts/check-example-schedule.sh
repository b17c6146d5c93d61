#!/usr/bin/env bash
# Installs examples/schedule's packages in its own folder (never in the root package.json) and
# type-checks its Pulumi program with tsc. Prints the install's time and size.
#
# Install scripts are skipped (--ignore-scripts): @pulumi/aws uses one to download its plugin
# binary, which type-checking does not need.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/examples/schedule"
start=$(date +%s)
if [[ -f "$dir/package-lock.json" ]]; then install=ci; else install=install; fi
(cd "$dir" && npm "$install" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
installed=$(( $(date +%s) - start ))
size=$(du -sh "$dir/node_modules" | cut -f1)
start=$(date +%s)
(cd "$dir" && ./node_modules/.bin/tsc -p tsconfig.json)
echo "check-example-schedule: install ${installed}s, node_modules ${size}, tsc $(( $(date +%s) - start ))s: ok"
