#!/usr/bin/env bash
# Lints the project's workflows and the example workflows with actionlint (scripts/actionlint.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# actionlint 1.7.12 predates GitHub's `concurrency.queue` (May 2026); everything else is checked.
bash scripts/actionlint.sh -ignore 'unexpected key "queue" for "concurrency" section' \
  .github/workflows/*.yml examples/workflows/*.yml
echo "workflows: actionlint found nothing"
