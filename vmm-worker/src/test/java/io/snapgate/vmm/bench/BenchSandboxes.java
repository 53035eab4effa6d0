package io.snapgate.vmm.bench;

import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.testing.TestGuests;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
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

    /**
     * The backend every benchmark runs on: the system property {@code snapgate.bench.backend} (auto, emulated or
     * kvm; JMH: {@code -jvmArgsAppend -Dsnapgate.bench.backend=kvm}), auto by default. {@code emulated-in-process}
     * is Unicorn in the benchmark's own JVM, as the emulated backend ran before it moved to emulator processes:
     * the baseline for what that move costs.
     */
    static VcpuBackend backend() {
        String name = System.getProperty("snapgate.bench.backend", "auto");
        return name.equals("emulated-in-process") ? UnicornBackend.instance() : VcpuBackends.named(name);
    }

    /** A ready sandbox of testguest.elf with {@code config}, on {@link #backend()}. */
    static Sandbox testguest(SandboxConfig config) {
        return Sandbox.builder(TESTGUEST).hostFunctions(hostFunctions()).config(config).backend(backend()).build();
    }
}
