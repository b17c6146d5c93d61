#!/usr/bin/env bash
# Installs Debian's prometheus (2.42 on Debian 12), which the closed loop (scripts/loop.sh) starts on
# loopback. Idempotent: does nothing when the binary is already there. Prints the binary's path.
#
#   bash scripts/install-prometheus.sh
#
# Needs root (or sudo) and a reachable Debian mirror.
set -euo pipefail

readonly BINARY=/usr/bin/prometheus
log() { echo "install-prometheus: $*" >&2; }

if [[ -x "$BINARY" ]]; then
  log "already installed: $("$BINARY" --version 2>&1 | head -n1)"
  echo "$BINARY"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "apt-get not found: install Prometheus 2.42 or later yourself and put it at $BINARY"
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

# The package's maintainer scripts may start a service; the loop starts its own instance on other ports.
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null

if [[ ! -x "$BINARY" ]]; then
  log "the package installed but $BINARY is missing; check 'dpkg -L prometheus'"
  exit 1
fi
log "installed: $("$BINARY" --version 2>&1 | head -n1)"
echo "$BINARY"
