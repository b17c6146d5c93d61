#!/usr/bin/env bash
# Checks every file of examples/aws/ with its own tool:
#   workflows          actionlint (scripts/actionlint.sh)
#   alertmanager.yml   amtool check-config, and amtool config routes test for each kind of alert
#   Prometheus         promtool check config, check rules and test rules
#   the program        tsc, with the program's own packages (npm ci in examples/aws)
#   the policies       policy.<stack>.json is what the program exports (policy-output.mjs runs it
#                      under Pulumi's mocks), matches docs/policy.schema.json, and passes
#                      `pulumiscale validate` with the stack's sample alerts (dist/validate.js:
#                      run `npm run build` first after a change to src/)
# Installs Debian's prometheus-alertmanager and prometheus when missing (needs root or sudo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly example=examples/aws
step() { echo "check-examples-aws: $*" >&2; }

step "workflows: actionlint"
bash scripts/actionlint.sh "$example"/workflows/*.yml

step "alertmanager.yml: amtool check-config and routes"
bash scripts/install-alertmanager.sh >/dev/null
amtool check-config "$example/alertmanager/alertmanager.yml" >/dev/null
# Each line: the receiver an alert with these labels must reach, then the labels.
while read -r receiver labels; do
  # shellcheck disable=SC2086 # the labels are separate arguments
  if ! amtool config routes test --config.file="$example/alertmanager/alertmanager.yml" --verify.receivers="$receiver" $labels >/dev/null 2>&1; then
    echo "check-examples-aws: an alert with labels $labels does not reach $receiver" >&2
    exit 1
  fi
done <<'ROUTES'
pulumiscale alertname=WebNodesCpuHigh scaling=pulumiscale stack=prod
pulumiscale alertname=WebNodesCpuLow scaling=pulumiscale stack=staging
pulumiscale alertname=QueueDeep pulumiscale_target=nodes pulumiscale_adjust=+1 stack=prod
oncall alertname=DiskFull severity=critical stack=prod
ROUTES

step "Prometheus: promtool check config, check rules, test rules"
bash scripts/install-prometheus.sh >/dev/null
(cd "$example/prometheus" && promtool check config prometheus.yml >/dev/null && promtool check rules rules.yml >/dev/null && promtool test rules rules.test.yml >/dev/null)

step "the program: tsc"
if [[ ! -d "$example/node_modules/@pulumi/aws" ]]; then
  (cd "$example" && npm ci --no-audit --no-fund >&2)
fi
# Type-checks and compiles in one run; policy-output.mjs runs the compiled program.
rm -rf "$example/node_modules/.cache/build"
(cd "$example" && ./node_modules/.bin/tsc --outDir node_modules/.cache/build)

step "the policies: exported by the program, schema, validate"
node24="$(bash scripts/node-toolchain.sh)/node" # Node.js 24, as on GitHub's runners
for stack in prod staging; do
  if ! (cd "$example" && "$node24" policy-output.mjs "$stack") | diff -u "$example/policy.$stack.json" -; then
    echo "check-examples-aws: $example/policy.$stack.json is not what the program exports: run (cd $example && npx tsc --outDir node_modules/.cache/build && node policy-output.mjs $stack > policy.$stack.json)" >&2
    exit 1
  fi
done
"$node24" --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { Ajv2020 } from "ajv/dist/2020.js";
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync("docs/policy.schema.json", "utf8")));
  for (const file of process.argv.slice(1)) {
    if (!validate(JSON.parse(readFileSync(file, "utf8")))) {
      console.error(`${file}: does not match docs/policy.schema.json: ${JSON.stringify(validate.errors)}`);
      process.exit(1);
    }
  }' "$example/policy.prod.json" "$example/policy.staging.json"
# Every sample alert must be read, and none may be skipped for want of a matching rule.
for stack in prod staging; do
  report="$("$node24" dist/validate.js validate --policy "$example/policy.$stack.json" --stack "acme/web/$stack" --events "$example/alerts/$stack")" || {
    echo "$report" >&2
    exit 1
  }
  if grep -q "Every signal was skipped" <<<"$report"; then
    echo "$report" >&2
    echo "check-examples-aws: a sample alert of $stack matches no rule of policy.$stack.json" >&2
    exit 1
  fi
done

echo "examples/aws: every file passed its own check"
