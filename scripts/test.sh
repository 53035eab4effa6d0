#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds every module and runs every test (mvn verify),
# then the KVM backend's tests inside a QEMU guest when this machine has no usable KVM (scripts/kvm-tests.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh --test
echo "[snapgate] building the guests and running the test suite (mvn -B verify)" >&2
mvn -B -ntp verify "$@"
scripts/kvm-tests.sh
