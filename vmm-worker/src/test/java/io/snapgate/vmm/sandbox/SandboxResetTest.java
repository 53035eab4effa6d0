package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.memory.ResetStrategy;
import io.snapgate.vmm.testing.TestGuests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both reset strategies give the guest exactly its snapshot back, call after call. */
class SandboxResetTest extends OnEveryBackend {
    private final TestGuests.Host host = new TestGuests.Host();

    @ParameterizedTest
    @EnumSource(ResetStrategy.class)
    void restoreResetsStaticsHeapAndDirtyPages(ResetStrategy strategy) {
        try (Sandbox sandbox = Sandbox.builder(TestGuests.elf("testguest")).hostFunctions(host.functions())
                .backend(backend).config(SandboxConfig.DEFAULT.withReset(strategy)).build()) {
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
}
