#!/usr/bin/env bash
# The KVM backend's tests, run after `mvn verify` against the classes it built (scripts/test.sh calls it).
# Where KVM works natively, `mvn verify` already ran them and this only says so. Otherwise they run inside a
# QEMU guest that has a working /dev/kvm (run-with-kvm: AMD SVM nested under TCG, root only), through the
# JUnit launcher (io.snapgate.vmm.testing.RunTests) rather than Maven, whose start alone costs a minute there.
#   SNAPGATE_RUN_WITH_KVM   the run-with-kvm script (default: <repo>/../shared/kvm-qemu/run-with-kvm)
#   SNAPGATE_KVM_TIMEOUT    seconds for the whole QEMU run, boot included (default 900)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf '[snapgate] %s\n' "$*" >&2; }

run_with_kvm="${SNAPGATE_RUN_WITH_KVM:-$root/../shared/kvm-qemu/run-with-kvm}"
# Every exit type (IO, HLT, MMIO, exception stubs, emulation failure, entry failure), cancel and time limits, restore with
# both reset strategies, stateless calls in turns (one by one on KVM), snapshots in memory and on disk, snapshots across backends, the MSR filter and the hostile
# guest, the JavaScript runtime guest's hostile scripts: about 130 s of tests and 40 s of boot and start in QEMU on 2 cores (docs/kvm.md, "Tests").
subset=(
    io.snapgate.vmm.vcpu.KvmBackendTest
    io.snapgate.vmm.vcpu.kvm.KvmEntryFailureTest
    io.snapgate.vmm.sandbox.SandboxCallTest
    io.snapgate.vmm.sandbox.SandboxArgumentTest
    io.snapgate.vmm.sandbox.SandboxFaultTest
    io.snapgate.vmm.sandbox.SandboxCancelTest
    io.snapgate.vmm.sandbox.SandboxResetTest
    io.snapgate.vmm.sandbox.SandboxCallEachTest
    io.snapgate.vmm.sandbox.SandboxSnapshotTest
    io.snapgate.vmm.sandbox.SnapshotFileTest
    io.snapgate.vmm.sandbox.CrossBackendSnapshotTest
    io.snapgate.vmm.vcpu.kvm.KvmMsrFilterTest
    io.snapgate.vmm.sandbox.HostileGuestTest
    io.snapgate.vmm.sandbox.SandboxJavaScriptTest
)

# Written by the reactor build (vmm-worker/pom.xml, phase test-compile): the io.snapgate modules as this tree built
# them, never jars an earlier `mvn install` left in ~/.m2. Built here when a bare run of this script finds none.
classpath_file=vmm-worker/target/test-classpath.txt
if [ ! -f "$classpath_file" ]; then
    say "no $classpath_file yet: building vmm-worker and its test classes (mvn -pl vmm-worker -am test-compile)"
    mvn -B -ntp -q -pl vmm-worker -am test-compile >&2
fi
cp="vmm-worker/target/test-classes:vmm-worker/target/classes:$(cat "$classpath_file")"

if reason="$(java -cp "$cp" io.snapgate.vmm.testing.KvmCheck)"; then
    say "KVM works on this machine: mvn verify ran the KVM tests natively"
    exit 0
fi
say "$reason"
if [ ! -x "$run_with_kvm" ]; then
    say "KVM TESTS SKIPPED: no run-with-kvm at $run_with_kvm (set SNAPGATE_RUN_WITH_KVM to its path)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    say "KVM TESTS SKIPPED: run-with-kvm needs root"
    exit 0
fi
say "running ${#subset[@]} test classes on the KVM backend inside $run_with_kvm"
start=$(date +%s)
"$run_with_kvm" --timeout "${SNAPGATE_KVM_TIMEOUT:-900}" -- \
    java -XX:TieredStopAtLevel=1 -Dsnapgate.test.backends=kvm -cp "$cp" io.snapgate.vmm.testing.RunTests \
    "${subset[@]}"
say "KVM tests passed in $(( $(date +%s) - start )) s"
