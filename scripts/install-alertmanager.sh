#!/usr/bin/env bash
# Installs Debian's prometheus-alertmanager (and amtool), which the relay's integration test
# starts on loopback. Idempotent: does nothing when the binary is already there.
#
#   bash scripts/install-alertmanager.sh
#
# Needs root (or sudo) and a reachable Debian mirror. Prints the path of the binary.
set -euo pipefail

readonly BINARY=/usr/bin/prometheus-alertmanager
log() { echo "install-alertmanager: $*" >&2; }

if [[ -x "$BINARY" ]]; then
  log "already installed: $("$BINARY" --version 2>&1 | head -n1)"
  echo "$BINARY"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "apt-get not found: install Alertmanager 0.25 or later yourself and put it at $BINARY"
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
$sudo apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null

if [[ ! -x "$BINARY" ]]; then
  log "the package installed but $BINARY is missing; check 'dpkg -L prometheus-alertmanager'"
  exit 1
fi
# A package install may start the daemon through invoke-rc.d on systems that allow it. The test
# starts its own instance on other ports, so a running service does no harm, but say so.
if command -v pgrep >/dev/null 2>&1 && pgrep -x prometheus-alertmanager >/dev/null 2>&1; then
  log "note: a prometheus-alertmanager service is running; the test uses its own ports"
fi
log "installed: $("$BINARY" --version 2>&1 | head -n1)"
echo "$BINARY"
