#!/usr/bin/env bash
# Type-checks relay/pulumi/ and runs its tests under Pulumi's mocks, with the folder's own packages
# (npm ci here when they are missing; the repository's root packages are not used).
# Needs Node.js 22 or later on PATH and the committed dist/relay/lambda.mjs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
step() { echo "relay/pulumi: $*" >&2; }

if [[ ! -d node_modules/@pulumi/aws ]]; then
  step "npm ci"
  started=$SECONDS
  npm ci --no-audit --no-fund >&2
  step "installed $(du -sh node_modules | cut -f1) in $((SECONDS - started)) s"
fi

step "tsc"
rm -rf build
./node_modules/.bin/tsc -p .

step "tests under Pulumi's mocks"
# A generous hang limit: each test waits for the registrations it checks, never for a fixed time.
node --test --test-timeout=120000 'build/test/*.test.js'
