#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds every module and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
echo "[snapgate] building the guests and running the test suite (mvn -B verify)" >&2
exec mvn -B -ntp verify "$@"
