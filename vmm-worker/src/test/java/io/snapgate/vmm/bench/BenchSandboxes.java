package io.snapgate.vmm.bench;

import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.testing.TestGuests;
import java.util.List;

/** Sandboxes of the test guest for the benchmarks. */
final class BenchSandboxes {
    static final byte[] TESTGUEST = TestGuests.elf("testguest");

    private BenchSandboxes() {
    }

    /** The host functions testguest.elf calls ({@code host_add}, {@code print}, ...). */
    static List<HostFunction> hostFunctions() {
        return new TestGuests.Host().functions();
    }

    /** A ready sandbox of testguest.elf with {@code config}. */
    static Sandbox testguest(SandboxConfig config) {
        return Sandbox.builder(TESTGUEST).hostFunctions(hostFunctions()).config(config).build();
    }
}
