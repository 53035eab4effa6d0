package io.snapgate.vmm.sandbox;

import static io.snapgate.vmm.sandbox.Turns.LATER;
import static io.snapgate.vmm.sandbox.Turns.call;
import static io.snapgate.vmm.sandbox.Turns.each;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.testing.TestGuests;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the emulated backend, {@link CallTurns#callEach} sends a turn of short calls to the emulator process in one
 * request, and a process that dies in a turn answers the calls before the one it died in.
 */
class CallTurnsTest {
    private final TestGuests.Host host = new TestGuests.Host();

    @BeforeEach
    void emulatedBackend() {
        TestBackends.requireUnicorn();
    }

    private static ProcessBackend backend() {
        return (ProcessBackend) VcpuBackends.named(UnicornBackend.NAME);
    }

    @Test
    void aTurnOfShortCallsIsOneRequest() {
        try (Sandbox sandbox = host.sandbox(backend())) {
            for (int i = 0; i < 50; i++) { // the emulator process's code compiled, as on a serving node
                each(sandbox, Collections.nCopies(20, call("add_to_static", 5)), LATER);
            }
            int before = backend().requestsSent();
            List<CallOutcome> outcomes = each(sandbox, Collections.nCopies(20, call("add_to_static", 5)), LATER);
            assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isEqualTo(5));
            // one request for the 20 runs, or a few where the turn's time ran out (a busy machine)
            assertThat(backend().requestsSent() - before).isBetween(1, 10);

            before = backend().requestsSent();
            for (int i = 0; i < 20; i++) {
                sandbox.call("add_to_static", 5);
                sandbox.restore();
            }
            assertThat(backend().requestsSent() - before).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void aProcessLostInATurnAnswersTheCallsBeforeIt() {
        try (Sandbox sandbox = host.sandbox(backend())) {
            List<CallOutcome> outcomes = each(sandbox, List.of(call("echo_i32", 3), call("add_to_static", 4),
                    call("arm_debug_registers"), call("echo_i32", 7)), LATER);
            assertThat(outcomes).hasSize(3); // the sandbox is lost after the third: the fourth belongs elsewhere
            assertThat(outcomes.get(0).value()).isEqualTo(3);
            assertThat(outcomes.get(1).value()).isEqualTo(4);
            assertThat(outcomes.get(2).failure()).isInstanceOfSatisfying(SandboxException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.SANDBOX_LOST);
                assertThat(e.getMessage()).contains("call to arm_debug_registers: the emulator failed");
            });
        }
        try (Sandbox next = host.sandbox(backend())) {
            assertThat(each(next, List.of(call("echo_i32", 7), call("echo_i32", 11)), LATER))
                    .extracting(CallOutcome::value).containsExactly(7, 11);
        }
    }

    @Test
    void callsOnSeveralSandboxesOfOneProcessShareATurn() {
        try (Sandbox a = host.sandbox(backend()); Sandbox b = host.sandbox(backend())) {
            List<Sandbox> on = List.of(a, b, a, b, a, b);
            List<StatelessCall> calls = List.of(call("add_to_static", 1), call("add_to_static", 10),
                    call("add_to_static", 2), call("add_to_static", 20), call("get_static"), call("get_static"));
            for (int i = 0; i < 50; i++) {
                each(on, calls, LATER);
            }
            int before = backend().requestsSent();
            assertThat(each(on, calls, LATER)).extracting(CallOutcome::value)
                    .containsExactly(1, 10, 2, 20, 0, 0);
            assertThat(backend().requestsSent() - before).isBetween(1, 4);
            assertThat(a.call("get_static")).isEqualTo(0);
            assertThat(b.call("get_static")).isEqualTo(0);
        }
    }

    @Test
    void aStopAtAnEarlierCallsDeadlineStartsTheRunningCallOver() {
        try (Sandbox sandbox = host.sandbox(backend())) {
            List<StatelessCall> warm = List.of(call("echo_i32", 3), call("dirty_memory"), call("add_to_static", 3));
            long written = (long) each(sandbox, warm, LATER).get(1).value(); // ~15 ms of guest code, no host call
            each(sandbox, warm, LATER); // the turn's path compiled: it starts well within the first deadline
            // the turn's watchdog fires at the first call's deadline while the second, with time left, runs
            List<CallOutcome> outcomes = each(sandbox, List.of(
                    new StatelessCall("echo_i32", new Object[] {3}, System.nanoTime() + 5_000_000L),
                    call("dirty_memory"), call("add_to_static", 3)), LATER);
            assertThat(outcomes).hasSize(3);
            assertThat(outcomes.get(0).value()).as("the first call ran in the turn, within its deadline").isEqualTo(3);
            assertThat(outcomes.get(1).failure()).isNull();
            assertThat(outcomes.get(1).value()).isEqualTo(written);
            assertThat(outcomes.get(1).runNanos()).as("started over: its run took longer than the first deadline")
                    .isGreaterThan(5_000_000L);
            assertThat(outcomes.get(2).value()).isEqualTo(3);
        }
    }

    @Test
    void aStopForACallLaterInTheTurnEndsTheRunInProgressNotTheProcess() {
        try (Sandbox a = host.sandbox(backend()); Sandbox b = host.sandbox(backend())) {
            long pid = backend().processId();
            // b's deadline passes while a spins (no host call: in the turn) for longer than the 1 s a process gets
            // to answer a stop
            List<CallOutcome> outcomes = each(List.of(a, b), List.of(
                    new StatelessCall("spin", new Object[0], System.nanoTime() + 1_500_000_000L),
                    new StatelessCall("echo_i32", new Object[] {1}, System.nanoTime() + 50_000_000L)), LATER);
            assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(o.failure())
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT)));
            assertThat(backend().processId()).isEqualTo(pid);
            assertThat(a.call("echo_i32", 2)).isEqualTo(2);
        }
    }
}
