package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.abi.ControlPage;
import io.snapgate.vmm.memory.ResetStrategy;
import io.snapgate.vmm.testing.TestGuests;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both reset strategies give the guest exactly its snapshot back, call after call. */
class SandboxResetTest extends OnEveryBackend {
    private final TestGuests.Host host = new TestGuests.Host();

    @ParameterizedTest
    @EnumSource(ResetStrategy.class)
    void restoreResetsStaticsHeapAndDirtyPages(ResetStrategy strategy) {
        try (Sandbox sandbox = testguest(strategy)) {
            for (int round = 0; round < 5; round++) {
                assertThat(sandbox.call("add_to_static", 7)).isEqualTo(7);
                assertThat(sandbox.call("dirty_pages", 256L)).isEqualTo(256L);
                org.assertj.core.api.Assertions.catchThrowable(() -> sandbox.call("exhaust_heap"));
                sandbox.restore();
                assertThat(sandbox.call("get_static")).isEqualTo(0);
                assertThat(sandbox.call("malloc_and_free", 500_000L)).isEqualTo(500_000L);
                sandbox.restore();
            }
        }
    }

    /**
     * After calls that write the statics, every heap page and 1 MiB of other pages, a restore leaves the memory
     * byte for byte as the snapshot holds it, but for the random seed a restore hands out: nothing a call wrote
     * reaches the next.
     */
    @ParameterizedTest
    @EnumSource(ResetStrategy.class)
    void restoreLeavesTheMemoryEqualToTheSnapshot(ResetStrategy strategy) {
        try (Sandbox sandbox = testguest(strategy)) {
            Snapshot built = sandbox.currentSnapshot();
            for (int round = 0; round < 2; round++) {
                sandbox.call("add_to_static", 7);
                sandbox.call("dirty_memory");
                sandbox.call("dirty_pages", 256L);
                sandbox.restore();
                Snapshot now = sandbox.snapshot(); // a copy of the memory as the restore left it
                int size = Math.toIntExact(built.memorySize());
                ByteBuffer expected = ByteBuffer.allocate(size).put(built.memory().view(0, size));
                ByteBuffer actual = ByteBuffer.allocate(size).put(now.memory().view(0, size));
                int seed = Math.toIntExact(ControlPage.ADDRESS + ControlPage.RANDOM_STATE_OFFSET);
                actual.putLong(seed, expected.getLong(seed));
                assertThat(actual.clear().mismatch(expected.clear())).as("the first byte that differs, round %d",
                        round).isEqualTo(-1);
                sandbox.restore(built);
            }
        }
    }

    private Sandbox testguest(ResetStrategy strategy) {
        return Sandbox.builder(TestGuests.elf("testguest")).hostFunctions(host.functions()).backend(backend)
                .config(SandboxConfig.DEFAULT.withReset(strategy)).build();
    }
}
