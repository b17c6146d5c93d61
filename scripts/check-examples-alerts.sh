#!/usr/bin/env bash
# Installs each alert example's packages in its own folder (examples/alerts/<source>/, never in
# the root package.json) and type-checks its Pulumi program with tsc. Prints, per example, the
# install's time and size, so a growing provider package shows.
#
#   scripts/check-examples-alerts.sh                # every example
#   scripts/check-examples-alerts.sh grafana datadog
#
# Install scripts are skipped (--ignore-scripts): Pulumi provider packages use them to download
# their plugin binary, which type-checking does not need.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
examples="$root/examples/alerts"
if [[ $# -gt 0 ]]; then names=("$@"); else mapfile -t names < <(ls "$examples"); fi

failed=0
for name in "${names[@]}"; do
  dir="$examples/$name"
  [[ -f "$dir/package.json" ]] || { echo "check-examples-alerts: $name: no $dir/package.json" >&2; exit 2; }
  start=$(date +%s)
  # The lock file, when there is one, makes the install the one that was checked last.
  if [[ -f "$dir/package-lock.json" ]]; then install=ci; else install=install; fi
  if ! (cd "$dir" && npm "$install" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null); then
    echo "check-examples-alerts: $name: npm install failed" >&2
    failed=1
    continue
  fi
  installed=$(( $(date +%s) - start ))
  size=$(du -sh "$dir/node_modules" | cut -f1)
  start=$(date +%s)
  if (cd "$dir" && ./node_modules/.bin/tsc -p tsconfig.json); then result="ok"; else result="FAILED"; failed=1; fi
  checked=$(( $(date +%s) - start ))
  echo "check-examples-alerts: $name: install ${installed}s, node_modules ${size}, tsc ${checked}s: ${result}"
done
exit "$failed"
