#!/usr/bin/env bash
# The demo: a worker pool of 3 in a real Pulumi stack (file backend, in a temporary directory),
# a repository_dispatch asking for +2 workers, and the action run exactly as a GitHub runner
# runs it. Shows the pool go from 3 to 5, the new count committed back to the repository, and
# the step summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
toolchain="$(bash scripts/setup.sh)"
export PATH="$toolchain:$repo/node_modules/.bin:$PATH"

demo="$(mktemp -d "${TMPDIR:-/tmp}/pulumiscale-demo.XXXXXX")"
export PULUMI_BACKEND_URL="file://$demo/backend" PULUMI_HOME="$demo/pulumi-home" PULUMI_CONFIG_PASSPHRASE=""
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$demo/backend"
cp -r test/fixtures/fleet "$demo/program"
ln -s "$repo/node_modules" "$demo/program/node_modules"
cd "$demo/program"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
pool() { cat "$demo/cloud/pool-workers.json"; }

step "Deploying the fixture stack with 3 workers (pulumi up)"
pulumi stack init dev --non-interactive >/dev/null 2>&1
pulumi config set stateDir "$demo/cloud"
pulumi config set workerCount 3
pulumi up --yes --skip-preview --non-interactive >/dev/null
echo "pool in the cloud: $(pool)"

step "Committing the program to a repository with an origin remote, as actions/checkout leaves it"
git init --quiet --bare --initial-branch main "$demo/origin.git"
printf 'node_modules\n' >.gitignore
git init --quiet --initial-branch main
git add -A
git -c user.name=Demo -c user.email=demo@example.com commit --quiet -m "fleet: 3 workers"
git remote add origin "$demo/origin.git"
git push --quiet -u origin main
git --git-dir "$demo/origin.git" log --oneline main

step "A repository_dispatch arrives: +2 workers"
cat >"$demo/event.json" <<'JSON'
{ "action": "scale", "client_payload": { "source": "delta", "stack": "dev", "target": "workers", "delta": 2, "reason": "demo: +2 workers" } }
JSON
cat "$demo/event.json"
: >"$demo/output.txt"
: >"$demo/summary.md"

step "Running the action: node dist/index.js"
# Runners pass inputs as INPUT_<NAME> with the name upper-cased and its dashes kept.
env INPUT_STACK=dev "INPUT_WORK-DIR=$demo/program" "INPUT_LOCK-TIMEOUT=1m" \
  GITHUB_ACTIONS=true GITHUB_EVENT_NAME=repository_dispatch GITHUB_EVENT_PATH="$demo/event.json" \
  GITHUB_OUTPUT="$demo/output.txt" GITHUB_STEP_SUMMARY="$demo/summary.md" GITHUB_WORKSPACE="$demo/program" \
  node "$repo/dist/index.js"

step "Result"
echo "pool in the cloud: $(pool)"
echo "stack config:      $(grep workerCount Pulumi.dev.yaml)"
echo "stack output:      poolSize = $(pulumi stack output poolSize)"
echo "repository (origin/main):"
git --git-dir "$demo/origin.git" log --format='  %h %an: %s' main
echo "  Pulumi.dev.yaml: $(git --git-dir "$demo/origin.git" show main:Pulumi.dev.yaml | grep workerCount)"

step "Step summary"
cat "$demo/summary.md"
echo
echo "(demo files in $demo)"
