#!/usr/bin/env bash
# Lints the project's workflows and the example workflows with actionlint (built once from the Go
# module proxy into .cache/bin).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ACTIONLINT_VERSION="v1.7.12"
bin="$PWD/.cache/bin"
if [[ ! -x "$bin/actionlint-$ACTIONLINT_VERSION" ]]; then
  if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then export PATH="/usr/local/go/bin:$PATH"; fi
  mkdir -p "$bin"
  GOBIN="$bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2
  mv "$bin/actionlint" "$bin/actionlint-$ACTIONLINT_VERSION"
fi
# actionlint 1.7.12 predates GitHub's `concurrency.queue` (May 2026); everything else is checked.
"$bin/actionlint-$ACTIONLINT_VERSION" -ignore 'unexpected key "queue" for "concurrency" section' \
  .github/workflows/*.yml examples/workflows/*.yml
echo "workflows: actionlint found nothing"
