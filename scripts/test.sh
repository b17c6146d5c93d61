#!/usr/bin/env bash
# The project's test command: installs what is missing, checks the committed bundle and the
# lint rules, then runs every test (unit, adapters, relay, and the integration tests that drive
# the real Pulumi CLI and, for the relay, the real Alertmanager).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
toolchain="$(bash scripts/setup.sh)"
if [[ -f scripts/install-alertmanager.sh ]]; then bash scripts/install-alertmanager.sh; fi
export PATH="$toolchain:$PWD/node_modules/.bin:$PATH"
echo "node $(node --version), pulumi $(pulumi version)"
bash scripts/check-dist.sh
npx eslint .
npx tsc --noEmit
bash scripts/lint-workflows.sh
bash scripts/check-examples-alerts.sh
npm test -- "$@"
