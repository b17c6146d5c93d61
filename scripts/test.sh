#!/usr/bin/env bash
# The project's test command: installs what is missing, checks the committed bundle and the
# lint rules, then runs every test (unit, adapters, relay, and the integration tests that drive
# the real Pulumi CLI and, for the relay, the real Alertmanager). Ends with one line
# `tests: N passed, N failed`. examples/aws/ and the docs' snippets are checked with each file's
# own tool first.
#
# PULUMISCALE_PULUMI_VERSION=v3.224.0 bash scripts/test.sh runs the same tests against another
# Pulumi CLI release (built once from the Go module proxy; see docs/operations.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
toolchain="$(bash scripts/setup.sh)"
# Debian's Alertmanager and Prometheus: the relay's integration test and the closed loop run them.
bash scripts/install-alertmanager.sh >/dev/null
bash scripts/install-prometheus.sh >/dev/null
export PATH="$toolchain:$PWD/node_modules/.bin:$PATH"
echo "node $(node --version), pulumi $(pulumi version)"
bash scripts/check-dist.sh
npx eslint .
npx tsc --noEmit
bash scripts/lint-workflows.sh
bash scripts/check-examples-aws.sh
bash scripts/check-doc-snippets.sh
bash scripts/check-examples-alerts.sh
bash scripts/check-example-schedule.sh
bash relay/pulumi/check.sh

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
status=0
npm test -- --json --outputFile="$results" "$@" || status=$?
node -e '
  const fs = require("node:fs");
  const text = fs.readFileSync(process.argv[1], "utf8");
  if (!text) { console.log("tests: 0 passed, 1 failed"); process.exit(0); }
  const run = JSON.parse(text);
  const failed = run.numFailedTests + run.numRuntimeErrorTestSuites;
  console.log(`tests: ${run.numPassedTests} passed, ${failed} failed`);
' "$results"
exit "$status"
