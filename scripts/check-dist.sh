#!/usr/bin/env bash
# Fails when the committed dist/ is not exactly what the build makes from src/: the action runs
# dist/index.js, so a stale bundle would ship old behaviour.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
node scripts/build.mjs --outdir "$fresh" >/dev/null
if [[ -f scripts/build-relay.mjs ]]; then node scripts/build-relay.mjs --outdir "$fresh/relay" >/dev/null; fi
if ! diff -r -q "$fresh" dist >/dev/null; then
  diff -r -q "$fresh" dist >&2 || true
  echo "dist/ is stale: run 'npm run build' and commit dist/." >&2
  exit 1
fi
echo "dist/ matches the build of src/."
