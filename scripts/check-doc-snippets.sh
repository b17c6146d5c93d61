#!/usr/bin/env bash
# Checks the configuration snippets in docs/events.md with their own tools, so the docs cannot
# show a file that fails them: the `# alertmanager.yml` block with amtool (check-config, and
# routes for an alert mapped by a policy rule, one that names its target, and any other), and the
# `# .github/workflows/scale-schedule.yml` block with actionlint. A block is found by its first
# line. Installs amtool (scripts/install-alertmanager.sh) and actionlint (scripts/actionlint.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly doc=docs/events.md
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Writes the fenced block of $doc whose first line is $1 to $2; fails when there is none.
snippet() {
  awk -v first="$1" '
    /^```/ { if (inside) { inside = 0; if (found) exit } else { inside = 1; started = 0 }; next }
    inside && !started { started = 1; if ($0 == first) found = 1 }
    inside && found { print }
  ' "$doc" >"$2"
  if [[ ! -s "$2" ]]; then
    echo "check-doc-snippets: $doc has no block starting with '$1'" >&2
    exit 1
  fi
}

snippet "# alertmanager.yml" "$scratch/alertmanager.yml"
bash scripts/install-alertmanager.sh >/dev/null
amtool check-config "$scratch/alertmanager.yml" >/dev/null
while read -r receiver labels; do
  # shellcheck disable=SC2086 # the labels are separate arguments
  if ! amtool config routes test --config.file="$scratch/alertmanager.yml" --verify.receivers="$receiver" $labels >/dev/null 2>&1; then
    echo "check-doc-snippets: in $doc's alertmanager.yml, an alert with labels $labels does not reach $receiver" >&2
    exit 1
  fi
done <<'ROUTES'
pulumiscale alertname=HighCPU scaling=pulumiscale stack=prod
pulumiscale alertname=HighCPU pulumiscale_target=workers pulumiscale_adjust=+2
oncall alertname=DiskFull severity=critical
ROUTES

mkdir -p "$scratch/.github/workflows"
snippet "# .github/workflows/scale-schedule.yml" "$scratch/.github/workflows/scale-schedule.yml"
bash scripts/actionlint.sh "$scratch/.github/workflows/scale-schedule.yml"
echo "docs/events.md: the snippets pass amtool and actionlint"
