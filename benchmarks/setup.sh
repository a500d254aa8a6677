#!/usr/bin/env bash
# Installs what the benchmarks need beyond requirements.txt: the wrk load generator (Debian package).
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "benchmarks: wrk is missing; install it with: sudo apt-get install -y wrk" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
