#!/usr/bin/env bash
# Rebuilds dist/ from the committed sources (HEAD) only, ignoring uncommitted work in the tree,
# so the committed bundle always matches the committed src/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tree="$(mktemp -d)"
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
git worktree add --detach "$tree" HEAD >/dev/null 2>&1
ln -s "$PWD/node_modules" "$tree/node_modules"
rm -rf "$tree/dist"
(cd "$tree" && node scripts/build.mjs >/dev/null && { [[ ! -f scripts/build-relay.mjs ]] || node scripts/build-relay.mjs >/dev/null; })
rm -rf dist
cp -r "$tree/dist" dist
echo "dist/ rebuilt from HEAD"
