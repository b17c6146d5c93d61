#!/usr/bin/env bash
# Installs Debian's prometheus package (Prometheus 2.42 and promtool) when missing, for the closed
# loop and for scripts/check-examples-aws.sh. Prints the path of promtool.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/lib/install-debian-package.sh" prometheus /usr/bin/promtool "Prometheus 2.42 or later"
