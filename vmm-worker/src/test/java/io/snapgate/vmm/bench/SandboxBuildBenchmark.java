package io.snapgate.vmm.bench;

import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.Snapshot;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sandbox create + drop (Hyperlight's sandboxes/create+drop): from the ELF (parse, lay out, write the image,
 * take a pooled vCPU, run the guest's init, take the first snapshot), and from an existing snapshot (map it
 * copy-on-write, no init), alone and with a first call. Every op closes its sandbox.
 */
public class SandboxBuildBenchmark extends SampledBenchmark {
    private List<HostFunction> hostFunctions;
    private Sandbox origin;
    private Snapshot snapshot;

    @Setup
    public void setUp() {
        hostFunctions = BenchSandboxes.hostFunctions();
        origin = BenchSandboxes.testguest(SandboxConfig.DEFAULT);
        snapshot = origin.currentSnapshot();
    }

    @TearDown
    public void tearDown() {
        origin.close();
    }

    @Benchmark
    public void createFromElfAndDrop(Blackhole bh) {
        try (Sandbox sandbox = Sandbox.builder(BenchSandboxes.TESTGUEST).hostFunctions(hostFunctions)
                .backend(BenchSandboxes.backend()).build()) {
            bh.consume(sandbox.status());
        }
    }

    @Benchmark
    public void createFromSnapshotAndDrop(Blackhole bh) {
        try (Sandbox sandbox = Sandbox.fromSnapshot(snapshot, hostFunctions, BenchSandboxes.backend(),
                SandboxConfig.DEFAULT, GuestLog.SLF4J)) {
            bh.consume(sandbox.status());
        }
    }

    /** From the snapshot, one noop call (which takes a vCPU and maps the memory into it), then close. */
    @Benchmark
    public Object createFromSnapshotCallAndDrop() {
        try (Sandbox sandbox = Sandbox.fromSnapshot(snapshot, hostFunctions, BenchSandboxes.backend(),
                SandboxConfig.DEFAULT, GuestLog.SLF4J)) {
            return sandbox.call("noop");
        }
    }
}
