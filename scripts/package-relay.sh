#!/usr/bin/env bash
# Packages the relay's Lambda bundle as the zip the release attaches:
#   index.mjs             dist/relay/lambda.mjs (handler `index.handler`, the Lambda console's default)
#   index.mjs.LEGAL.txt   its licence notices
# The zip is the same bytes for the same bundle: fixed order, mode, timestamp and compression, and
# no extra attributes (owner, extended timestamps), so a release can be rebuilt and compared.
# Usage: bash scripts/package-relay.sh OUT.zip   (needs `zip`, preinstalled on GitHub's runners)
set -euo pipefail
readonly out="${1:?usage: scripts/package-relay.sh OUT.zip}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly bundle="$root/dist/relay/lambda.mjs"
for file in "$bundle" "$bundle.LEGAL.txt"; do
  if [[ ! -f "$file" ]]; then
    echo "package-relay: $file is missing: run npm run build:relay" >&2
    exit 1
  fi
done

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp "$bundle" "$staging/index.mjs"
cp "$bundle.LEGAL.txt" "$staging/index.mjs.LEGAL.txt"
chmod 0644 "$staging/index.mjs" "$staging/index.mjs.LEGAL.txt"
# zip stores local time: fix both the clock and the zone (1980-01-01 is the earliest zip time).
TZ=UTC touch -d "1980-01-01T00:00:00Z" "$staging/index.mjs" "$staging/index.mjs.LEGAL.txt"

out_path="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
rm -f "$out_path"
(cd "$staging" && TZ=UTC zip -q -X -9 "$out_path" index.mjs index.mjs.LEGAL.txt)
echo "package-relay: $out ($(wc -c <"$out_path") bytes, sha256 $(sha256sum "$out_path" | cut -d' ' -f1))" >&2
