package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.testing.TestGuests;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulated vCPU's process dies or hangs under a running guest, the way an emulator bug that guest code
 * triggers would make it (here a signal from outside stands in for a bug nobody has found yet): the call ends with
 * SANDBOX_LOST naming what happened, other threads' sandboxes never notice, the thread's next sandbox works.
 */
class EmulatorCrashTest {
    private final TestGuests.Host host = new TestGuests.Host();
    private ExecutorService other;

    @BeforeEach
    void emulatedBackend() {
        TestBackends.requireUnicorn();
        other = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stopOtherThread() throws InterruptedException {
        if (other != null) {
            other.shutdownNow();
            other.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static ProcessBackend backend() {
        return (ProcessBackend) VcpuBackends.named(UnicornBackend.NAME);
    }

    @Test
    void aCrashedEmulatorLosesOnlyItsOwnThreadsSandboxes() throws Exception {
        try (Sandbox bystander = other.submit(() -> host.sandbox(backend())).get(60, TimeUnit.SECONDS);
                Sandbox victim = host.sandbox(backend())) {
            assertThat(other.submit(() -> bystander.call("echo_i32", 1)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
            long pid = backend().processId();
            CompletableFuture<Void> crash = CompletableFuture.runAsync(() -> {
                sleep(300); // the guest is spinning by then
                signal("SEGV", pid);
            });
            assertThatThrownBy(() -> victim.call(Duration.ofSeconds(30), "spin"))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.SANDBOX_LOST))
                    .hasMessageContaining("call to spin: the emulator failed on the guest's code")
                    .hasMessageContaining("the emulator process (pid " + pid + ") died");
            crash.get(10, TimeUnit.SECONDS);

            assertThatThrownBy(victim::restore).isInstanceOfSatisfying(SandboxException.class,
                    e -> assertThat(e.failure()).isEqualTo(Failure.SANDBOX_LOST));
            assertThatThrownBy(() -> victim.call("echo_i32", 2)).isInstanceOfSatisfying(SandboxException.class,
                    e -> assertThat(e.failure()).isEqualTo(Failure.SANDBOX_LOST));
            assertThat(other.submit(() -> bystander.call("echo_i32", 3)).get(10, TimeUnit.SECONDS)).isEqualTo(3);
            try (Sandbox next = host.sandbox(backend())) {
                assertThat(next.call("add", 40, 2)).isEqualTo(42);
                assertThat(backend().processId()).isNotEqualTo(pid);
            }
        }
    }

    @Test
    void anEmulatorThatStopsAnsweringIsKilledAfterTheDeadline() throws Exception {
        try (Sandbox sandbox = host.sandbox(backend())) {
            long pid = backend().processId();
            CompletableFuture<Void> freeze = CompletableFuture.runAsync(() -> {
                sleep(100);
                signal("STOP", pid);
            });
            assertThatThrownBy(() -> sandbox.call(Duration.ofMillis(500), "spin"))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.SANDBOX_LOST))
                    .hasMessageContaining("did not stop within 1000 ms of being asked to, and was killed");
            freeze.get(10, TimeUnit.SECONDS);
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join()); // killed: it ends
        }
    }

    /**
     * A request that is not a run (here a snapshot's copy, which also carries the deferred restore) has a limit of
     * its own: no guest run is asked to stop.
     */
    @Test
    void anEmulatorThatStopsAnsweringOtherRequestsIsKilledTooAndTheNextSandboxWorks() throws Exception {
        try (Sandbox sandbox = host.sandbox(backend())) {
            assertThat(sandbox.call("echo_i32", 1)).isEqualTo(1);
            long pid = backend().processId();
            sandbox.restore();
            signal("STOP", pid);
            assertThatThrownBy(sandbox::snapshot).isInstanceOfSatisfying(SandboxException.class,
                    e -> assertThat(e.failure()).isEqualTo(Failure.SANDBOX_LOST))
                    .hasMessageContaining("(pid " + pid + ") did not answer a request within 30 s, and was killed");
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        }
        try (Sandbox next = host.sandbox(backend())) {
            assertThat(next.call("add", 40, 2)).isEqualTo(42);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void signal(String name, long pid) {
        try {
            int status = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
            assertThat(status).as("kill -%s %d", name, pid).isZero();
        } catch (Exception e) {
            throw new AssertionError("cannot signal the emulator process", e);
        }
    }
}
