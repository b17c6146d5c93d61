#!/usr/bin/env bash
# Installs Debian's prometheus-alertmanager (Alertmanager 0.25 and amtool) when missing, which the
# relay's integration test starts on loopback. Prints the path of the binary. A package install
# may start the service; the tests start their own instances on other ports.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/lib/install-debian-package.sh" prometheus-alertmanager /usr/bin/prometheus-alertmanager "Alertmanager 0.25 or later"
