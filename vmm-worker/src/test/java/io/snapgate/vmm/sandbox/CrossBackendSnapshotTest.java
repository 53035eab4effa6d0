package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.testing.TestGuests;
import io.snapgate.vmm.vcpu.VcpuBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A snapshot saved on one backend loads and runs on the other: the memory and the ABI are the same, and the
 * registers are not part of a snapshot. The creating backend is recorded, never checked.
 */
class CrossBackendSnapshotTest {
    private final TestGuests.Host host = new TestGuests.Host();
    @TempDir
    Path dir;

    @ParameterizedTest(name = "saved on {0}, run on {1}")
    @CsvSource({"emulated, kvm", "kvm, emulated"})
    void aSnapshotSavedOnOneBackendRunsOnTheOther(String from, String to) {
        VcpuBackend origin = TestBackends.require(from);
        VcpuBackend target = TestBackends.require(to);
        SnapshotStore store = SnapshotStore.open(dir.resolve("store"));
        try (Sandbox sandbox = host.sandbox(origin)) {
            sandbox.call("add_to_static", 5);
            try (Snapshot five = sandbox.snapshot()) {
                five.save(store, "five");
            }
        }

        try (Snapshot loaded = Snapshot.loadChecked(store, "five");
                Sandbox sandbox = Sandbox.fromSnapshot(loaded, host.functions(), target, SandboxConfig.DEFAULT,
                        GuestLog.SLF4J)) {
            assertThat(loaded.backend()).isEqualTo(from);
            assertThat(sandbox.backendName()).isEqualTo(to);
            assertThat(sandbox.call("get_static")).isEqualTo(5);
            assertThat(sandbox.call("add", 40, 2)).isEqualTo(42);
            assertThat(sandbox.call("add_to_static", 1)).isEqualTo(6);
            sandbox.restore();
            assertThat(sandbox.call("get_static")).isEqualTo(5);
            try (Snapshot again = sandbox.snapshot()) {
                assertThat(again.backend()).isEqualTo(to);
            }
        }
    }
}
