package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.testing.TestGuests;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-memory snapshots: restore resets state, sandboxes from one snapshot stay apart. */
class SandboxSnapshotTest extends OnEveryBackend {
    private final TestGuests.Host host = new TestGuests.Host();

    @Test
    void restoreGoesBackToTheSnapshotNotFurther() {
        try (Sandbox sandbox = host.sandbox(backend)) {
            Snapshot initial = sandbox.currentSnapshot();
            sandbox.call("add_to_static", 5);
            Snapshot five = sandbox.snapshot();
            assertThat(five.generation()).isEqualTo(initial.generation() + 1);
            sandbox.call("add_to_static", 3);
            assertThat(sandbox.call("get_static")).isEqualTo(8);
            sandbox.restore(five);
            assertThat(sandbox.call("get_static")).isEqualTo(5);
            sandbox.restore(initial);
            assertThat(sandbox.call("get_static")).isEqualTo(0);
            sandbox.restore(five);
            assertThat(sandbox.call("add_to_static", 1)).isEqualTo(6);
        }
    }

    @Test
    void sandboxesFromOneSnapshotDoNotSeeEachOthersWrites() {
        try (Sandbox origin = host.sandbox(backend)) {
            origin.call("add_to_static", 10);
            Snapshot ten = origin.snapshot();
            try (Sandbox a = Sandbox.fromSnapshot(ten, host.functions(), backend, SandboxConfig.DEFAULT,
                    GuestLog.SLF4J);
                    Sandbox b = Sandbox.fromSnapshot(ten, host.functions(), backend,
                            SandboxConfig.DEFAULT, GuestLog.SLF4J)) {
                assertThat(a.call("add_to_static", 1)).isEqualTo(11);
                assertThat(b.call("add_to_static", 100)).isEqualTo(110);
                assertThat(a.call("get_static")).isEqualTo(11);
                assertThat(origin.call("get_static")).isEqualTo(10);
                a.restore();
                assertThat(a.call("get_static")).isEqualTo(10);
                assertThat(b.call("get_static")).isEqualTo(110);
                assertThat((Long) a.call("next_random")).isNotEqualTo(b.call("next_random"));
            }
        }
    }

    @Test
    void fromSnapshotListsEveryMissingAndMismatchedHostFunction() {
        try (Sandbox origin = host.sandbox(backend)) {
            Snapshot snapshot = origin.snapshot();
            List<HostFunction> offered = List.of(HostFunction.of("host_add", ValueType.I64, a -> 0L, ValueType.I64));
            assertThatThrownBy(() -> Sandbox.fromSnapshot(snapshot, offered, backend,
                    SandboxConfig.DEFAULT, GuestLog.SLF4J))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.INCOMPATIBLE_SNAPSHOT))
                    .hasMessageContaining("host function host_add is host_add(i64) -> i64, the snapshot needs "
                            + "host_add(i32, i32) -> i32")
                    .hasMessageContaining("missing host function host_fail() -> i32")
                    .hasMessageContaining("missing host function host_echo_bytes(bytes) -> bytes");
        }
    }

    @Test
    void restoreRefusesASnapshotWithAnotherLayout() {
        SandboxConfig bigger = SandboxConfig.DEFAULT.withSizes(new LayoutSizes(2 << 20, 128 << 10, 64 << 10, 64 << 10));
        try (Sandbox small = host.sandbox(backend);
                Sandbox big = Sandbox.builder(TestGuests.elf("testguest")).hostFunctions(host.functions())
                        .backend(backend).config(bigger).build()) {
            assertThatThrownBy(() -> small.restore(big.currentSnapshot()))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.INCOMPATIBLE_SNAPSHOT))
                    .hasMessageContaining("memory layout");
            assertThat(small.call("echo_i32", 3)).isEqualTo(3);
        }
    }

    @Test
    void snapshotOfAPoisonedSandboxIsRefused() {
        try (Sandbox sandbox = host.sandbox(backend)) {
            assertThatThrownBy(() -> sandbox.call("invalid_instruction")).isInstanceOf(SandboxException.class);
            assertThatThrownBy(sandbox::snapshot)
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.POISONED));
        }
    }

    @Test
    void closedSandboxRefusesCalls() {
        Sandbox sandbox = host.sandbox(backend);
        sandbox.close();
        assertThatThrownBy(() -> sandbox.call("noop"))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.CLOSED));
    }
}
