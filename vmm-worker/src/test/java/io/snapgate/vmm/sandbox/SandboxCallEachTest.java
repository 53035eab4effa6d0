package io.snapgate.vmm.sandbox;

import static io.snapgate.vmm.sandbox.Turns.LATER;
import static io.snapgate.vmm.sandbox.Turns.call;
import static io.snapgate.vmm.sandbox.Turns.each;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Stateless calls in turns ({@link CallTurns#callEach}): each call's outcome is what a single call then a restore
 * gives, whatever its neighbours in the turn do (fail, call the host, log, time out, return more than a turn
 * carries). On the emulated backend the calls share hand-overs to the emulator process; on KVM they run one by one.
 */
class SandboxCallEachTest extends TestGuestSandbox {

    private static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    private static Consumer<CallOutcome> returned(Object value) {
        return o -> {
            assertThat(o.failure()).as("failure").isNull();
            assertThat(o.value()).isEqualTo(value);
        };
    }

    private static Consumer<CallOutcome> failed(Failure failure) {
        return o -> assertThat(o.failure()).isInstanceOfSatisfying(SandboxException.class,
                e -> assertThat(e.failure()).isEqualTo(failure));
    }

    @Test
    void eachCallStartsFromTheSnapshot() {
        List<StatelessCall> calls = new ArrayList<>();
        for (int i = 1; i <= 40; i++) { // more than one turn holds
            calls.add(call("add_to_static", i));
        }
        List<CallOutcome> outcomes = each(sandbox, calls, LATER);
        assertThat(outcomes).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(outcomes.get(i).value()).as("call %d", i).isEqualTo(i + 1);
        }
        assertThat(sandbox.call("get_static")).isEqualTo(0); // restored after the last one too
    }

    @Test
    void eachCallGetsAFreshRandomSeed() {
        List<CallOutcome> outcomes = each(sandbox, Collections.nCopies(10, call("next_random")), LATER);
        assertThat(new HashSet<>(outcomes.stream().map(CallOutcome::value).toList())).hasSize(10);
    }

    @Test
    void failuresStayWithTheirCall() {
        List<CallOutcome> outcomes = each(sandbox, List.of(
                call("add", 1, 2),
                call("add_to_static_and_fail", 5),
                call("add_to_static", 1),
                call("no_such_function"),
                call("add", "not a number", 2),
                call("invalid_instruction"),
                call("get_static"),
                call("corrupt_result_length"),
                call("add", 20, 22)), LATER);
        assertThat(outcomes).hasSize(9).satisfiesExactly(
                returned(3),
                o -> assertThat(o.failure()).isInstanceOf(GuestErrorException.class)
                        .hasMessageContaining("add_to_static_and_fail failed on purpose"),
                returned(1),
                failed(Failure.UNKNOWN_FUNCTION),
                failed(Failure.ARGUMENT_TYPE_MISMATCH),
                failed(Failure.INVALID_INSTRUCTION),
                returned(0),
                failed(Failure.MALFORMED_FRAME),
                returned(42));
        assertThat(sandbox.call("add", 1, 1)).isEqualTo(2);
    }

    @Test
    void callsThatNeedTheHostGoOnAlone() {
        List<CallOutcome> outcomes = each(sandbox, List.of(
                call("add_to_static", 7),
                call("print_output", "from a turn"),
                call("log_message", 3, "a line"),
                call("host_call_count", 3),
                call("call_failing_host"),
                call("add_to_static", 2)), LATER);
        assertThat(outcomes).satisfiesExactly(returned(7), returned(11), returned(null), returned(4),
                o -> assertThat(o.value()).asString().contains("failed"), returned(2));
        assertThat(host.printed).contains("from a turn");
    }

    @Test
    void aResultLargerThanATurnCarriesIsReadWhole() {
        List<CallOutcome> outcomes = each(sandbox, List.of(call("big_out", 3), call("big_out", 20_000),
                call("big_out", 5)), LATER);
        assertThat(outcomes).hasSize(3);
        byte[] big = (byte[]) outcomes.get(1).value();
        assertThat(big).hasSize(20_000);
        for (int i = 0; i < big.length; i++) {
            assertThat(big[i]).isEqualTo((byte) (i * 7));
        }
        assertThat((byte[]) outcomes.get(2).value()).containsExactly(0, 7, 14, 21, 28);
    }

    @Test
    void aCallOverItsTimeIsStoppedAndItsNeighboursAreNot() {
        List<CallOutcome> outcomes = each(sandbox, List.of(
                call("echo_i32", 2),
                new StatelessCall("spin", new Object[0], in(Duration.ofMillis(50))),
                call("echo_i32", 4),
                new StatelessCall("echo_i32", new Object[] {6}, System.nanoTime() - 1),
                call("spin_for_ms", 5L),
                call("echo_i32", 8)), LATER);
        assertThat(outcomes).satisfiesExactly(returned(2), failed(Failure.TIMED_OUT), returned(4),
                failed(Failure.TIMED_OUT), o -> assertThat(o.failure()).isNull(), returned(8));
    }

    @Test
    void outcomesSayHowLongEachCallRan() {
        List<CallOutcome> outcomes = each(sandbox, List.of(call("spin_for_ms", 20L), call("noop")), LATER);
        assertThat(outcomes.get(0).runNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(outcomes.get(1).runNanos()).isPositive().isLessThan(Duration.ofMillis(20).toNanos());
    }

    @Test
    void noTurnStartsAfterTheGivenTimeButTheFirst() {
        List<CallOutcome> outcomes = each(sandbox, Collections.nCopies(5, call("spin_for_ms", 2L)),
                System.nanoTime());
        assertThat(outcomes).hasSize(1).first().satisfies(o -> assertThat(o.failure()).isNull());
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
    }
}
