package io.snapgate.vmm.vcpu.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sys.CpuAffinity;
import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.testing.TestGuests;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An emulator process runs where the thread that drives it may run: pinned with a pinned thread (a gateway worker),
 * where then neither side spins while it waits for the other, and calls work as ever; anywhere the JVM may with an
 * unpinned one.
 */
class EmulatorAffinityTest {
    private final TestGuests.Host host = new TestGuests.Host();

    @BeforeEach
    void requireUnicorn() {
        TestBackends.requireUnicorn();
    }

    @Test
    void aPinnedThreadsEmulatorProcessRunsOnItsCpuOnlyAndCallsWork() throws Exception {
        List<Integer> allowed = CpuAffinity.ofCurrentThread().cpus();
        assumeTrue(allowed.size() > 1, "one CPU: pinned and unpinned look the same");
        int cpu = allowed.get(allowed.size() - 1);
        try (ProcessBackend backend = new ProcessBackend(1)) {
            List<List<Integer>> placed = onNewThread(() -> {
                CpuAffinity.only(cpu).applyToCurrentThread();
                try (Sandbox sandbox = host.sandbox(backend)) {
                    for (int i = 0; i < 200; i++) { // one-by-one hand-overs on one core, none spinning
                        assertThat(sandbox.call("add", i, 2)).isEqualTo(i + 2);
                        sandbox.restore();
                    }
                }
                return threadCpus(backend.processId()); // while the thread lives: the reaper closes it after
            });
            assertThat(placed).isNotEmpty().allSatisfy(cpus -> assertThat(cpus).containsExactly(cpu));
        }
    }

    @Test
    void anUnpinnedThreadsEmulatorProcessRunsAnywhereTheJvmMay() throws Exception {
        List<Integer> allowed = CpuAffinity.ofCurrentThread().cpus();
        try (ProcessBackend backend = new ProcessBackend(1)) {
            List<List<Integer>> placed = onNewThread(() -> threadCpus(backend.processId()));
            assertThat(placed).isNotEmpty().allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));
        }
    }

    /** Runs {@code task} on a thread of its own (a pin must not outlive the test) and returns its result. */
    private static <T> T onNewThread(Supplier<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "test-vcpu");
        thread.start();
        return result.get(60, TimeUnit.SECONDS);
    }

    private static List<List<Integer>> threadCpus(long pid) {
        return CpuAffinity.ofThreadsOf(pid).stream().map(CpuAffinity::cpus).toList();
    }
}
