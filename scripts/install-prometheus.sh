#!/usr/bin/env bash
# Installs Debian's prometheus package for its promtool, which scripts/check-examples-aws.sh runs
# over the example's Prometheus configuration and rules. Idempotent: does nothing when promtool
# is already there. Prints the path of promtool.
#
#   bash scripts/install-prometheus.sh
#
# Needs root (or sudo) and a reachable Debian mirror.
set -euo pipefail

readonly BINARY=/usr/bin/promtool
log() { echo "install-prometheus: $*" >&2; }

if [[ -x "$BINARY" ]]; then
  log "already installed: $("$BINARY" --version 2>&1 | head -n1)"
  echo "$BINARY"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "apt-get not found: install Prometheus 2.42 or later yourself and put promtool at $BINARY"
  exit 1
fi

sudo=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    log "run as root (or install sudo): apt-get needs it"
    exit 1
  fi
fi

# The package's maintainer scripts try to start a service; nothing should run in the background.
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null

if [[ ! -x "$BINARY" ]]; then
  log "the package installed but $BINARY is missing; check 'dpkg -L prometheus'"
  exit 1
fi
log "installed: $("$BINARY" --version 2>&1 | head -n1)"
echo "$BINARY"
