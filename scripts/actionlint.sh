#!/usr/bin/env bash
# Runs actionlint, built once from the Go module proxy into .cache/bin at the pinned version.
#
#   bash scripts/actionlint.sh [actionlint arguments]
set -euo pipefail
readonly ACTIONLINT_VERSION="v1.7.12"
bin="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cache/bin"
if [[ ! -x "$bin/actionlint-$ACTIONLINT_VERSION" ]]; then
  if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then export PATH="/usr/local/go/bin:$PATH"; fi
  mkdir -p "$bin"
  GOBIN="$bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2
  mv "$bin/actionlint" "$bin/actionlint-$ACTIONLINT_VERSION"
fi
exec "$bin/actionlint-$ACTIONLINT_VERSION" "$@"
