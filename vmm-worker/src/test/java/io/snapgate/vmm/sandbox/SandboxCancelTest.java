package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping guests from outside: cancel handles and time limits. */
class SandboxCancelTest extends TestGuestSandbox {

    /** Cancels from another thread until the call on this thread has failed. */
    private SandboxException cancelWhileRunning(String function) throws Exception {
        CancelHandle handle = sandbox.cancelHandle();
        CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
            while (!handle.cancel()) {
                Thread.onSpinWait();
            }
        });
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> sandbox.call(function));
        canceller.get(10, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(SandboxException.class);
        return (SandboxException) thrown;
    }

    @Test
    void cancelStopsAnInfiniteLoop() throws Exception {
        SandboxException e = cancelWhileRunning("spin");
        assertThat(e.failure()).isEqualTo(Failure.CANCELLED);
        assertThat(e).hasMessage("call to spin was cancelled");
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.POISONED);
        sandbox.restore();
        assertThat(sandbox.call("echo_i32", 5)).isEqualTo(5);
    }

    @Test
    void cancelDuringAHostCallStopsBeforeTheGuestResumes() throws Exception {
        SandboxException e = cancelWhileRunning("call_host_spin");
        assertThat(e.failure()).isEqualTo(Failure.CANCELLED);
        sandbox.restore();
        assertThat(sandbox.call("add", 1, 1)).isEqualTo(2);
    }

    @Test
    void cancelWhenIdleDoesNothing() {
        assertThat(sandbox.cancelHandle().cancel()).isFalse();
        assertThat(sandbox.call("echo_i32", 9)).isEqualTo(9);
    }

    @Test
    void timeLimitStopsAnInfiniteLoop() {
        assertThatThrownBy(() -> sandbox.call(Duration.ofMillis(50), "spin"))
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT))
                .hasMessage("call to spin ran past its time limit and was stopped");
        sandbox.restore();
        assertThat(sandbox.call(Duration.ofSeconds(10), "echo_i32", 5)).isEqualTo(5);
    }

    @Test
    void timedSpinFinishesWithinItsLimitAndIsStoppedPastIt() {
        assertThat((Long) sandbox.call(Duration.ofSeconds(30), "spin_for_ms", 20L)).isPositive();
        assertThatThrownBy(() -> sandbox.call(Duration.ofMillis(50), "spin_for_ms", 60_000L))
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT));
    }

    @Test
    void defaultTimeLimitFromTheConfig() {
        // From the test's snapshot, so that the 30 ms limit is not also the guest init's (slow inside QEMU).
        try (Sandbox limited = Sandbox.fromSnapshot(sandbox.currentSnapshot(), host.functions(), backend,
                SandboxConfig.DEFAULT.withCallTimeout(Duration.ofMillis(30)), GuestLog.SLF4J)) {
            assertThatThrownBy(() -> limited.call("spin"))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT));
        }
    }
}
