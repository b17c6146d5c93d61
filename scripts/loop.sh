#!/usr/bin/env bash
# The closed autoscaling loop, from a fresh clone, all on loopback: installs what it needs (npm
# packages, Node.js 24, the Pulumi toolchain, Debian's prometheus and prometheus-alertmanager),
# builds dist/, then runs the load profile through real Prometheus, Alertmanager, the relay and the
# action, printing a timeline, a latency table and, last, one line:
#
#   loop: <n> scale-outs, <n> scale-ins, alert→applied p50 <s> s max <s> s, flaps <n>, lost <n>
#
#   bash scripts/loop.sh                      # the reference profile (the benchmark, ≈ 10 min), chart in docs/loop.svg
#   bash scripts/loop.sh short /tmp/loop.svg  # the test's short profile
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
toolchain="$(bash scripts/setup.sh)"
bash scripts/install-prometheus.sh >/dev/null
bash scripts/install-alertmanager.sh >/dev/null
export PATH="$toolchain:$PWD/node_modules/.bin:$PATH"
npm run --silent build >/dev/null
exec node --experimental-transform-types --no-warnings=ExperimentalWarning loop/main.ts "$@"
