package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.testing.TestGuests;
import org.junit.jupiter.api.Test;

/**
 * A heap far larger than a call touches (the emulated backend maps such memory a chunk at a time, on first
 * touch): all of it is usable, before and after the vCPU changes hands, and the guard page below the stack
 * still faults.
 */
class LargeHeapTest extends OnEveryBackend {
    private static final long HEAP = 64L << 20;
    private final TestGuests.Host host = new TestGuests.Host();

    @Test
    void everyPartOfTheHeapWorksAcrossVcpuReleases() {
        SandboxConfig config = SandboxConfig.DEFAULT.withSizes(new LayoutSizes(HEAP, 128 << 10, 64 << 10, 64 << 10));
        try (Sandbox sandbox = Sandbox.builder(TestGuests.elf("testguest")).hostFunctions(host.functions())
                .backend(backend).config(config).build()) {
            for (int round = 0; round < 2; round++) {
                // 64 KiB blocks until the heap is full: a header in every block, so every chunk is touched
                assertThatThrownBy(() -> sandbox.call("exhaust_heap")).isInstanceOfSatisfying(
                        GuestErrorException.class, e -> assertThat(heapBytes(e.guestMessage()))
                                .isBetween(HEAP - (1 << 20), HEAP));
                sandbox.restore();
                assertThat(sandbox.call("malloc_and_free", 3L << 20)).isEqualTo(3L << 20);
                sandbox.releaseVcpu(); // the engine unmaps what was mapped; the next call maps it again
            }
            Region stack = sandbox.currentSnapshot().layout().region("stack");
            assertThatThrownBy(() -> sandbox.call("read_address", stack.guestAddress() - 8))
                    .isInstanceOfSatisfying(MemoryAccessException.class,
                            e -> assertThat(e.address()).isEqualTo(stack.guestAddress() - 8));
        }
    }

    /** N of "heap exhausted after N bytes". */
    private static long heapBytes(String message) {
        return Long.parseLong(message.replaceAll("\\D+", ""));
    }
}
