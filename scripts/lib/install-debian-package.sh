#!/usr/bin/env bash
# Installs one Debian package when the binary it provides is missing, and prints that binary's
# path. Idempotent. Needs root (or sudo) and a reachable Debian mirror.
#
#   bash scripts/lib/install-debian-package.sh PACKAGE BINARY WHAT
#
# WHAT names the software and version to install by hand where apt-get is missing.
set -euo pipefail
readonly PACKAGE="$1" BINARY="$2" WHAT="$3"
log() { echo "install-$PACKAGE: $*" >&2; }

if [[ -x "$BINARY" ]]; then
  log "already installed: $("$BINARY" --version 2>&1 | head -n1)"
  echo "$BINARY"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "apt-get not found: install $WHAT yourself and put it at $BINARY"
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
# The package's maintainer scripts may try to start a service; nothing should wait for input.
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "$PACKAGE" >/dev/null
if [[ ! -x "$BINARY" ]]; then
  log "the package installed but $BINARY is missing; check 'dpkg -L $PACKAGE'"
  exit 1
fi
log "installed: $("$BINARY" --version 2>&1 | head -n1)"
echo "$BINARY"
