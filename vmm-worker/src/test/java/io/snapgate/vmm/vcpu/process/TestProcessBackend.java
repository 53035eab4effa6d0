package io.snapgate.vmm.vcpu.process;

import io.snapgate.vmm.testing.TestBackends;

/** The backend the emulator process tests start: the test is skipped where Unicorn is missing. */
final class TestProcessBackend {
    private TestProcessBackend() {
    }

    /** A new backend whose processes keep one idle engine each; skips the test (an assumption) without Unicorn 2. */
    static ProcessBackend oneIdleEngine() {
        TestBackends.requireUnicorn();
        return new ProcessBackend(1);
    }
}
