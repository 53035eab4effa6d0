package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@link CallTurns#callEach} with its outcomes gathered in a list, for tests. */
final class Turns {
    /** A time no call of a test reaches: no turn is cut off by it. */
    static final long LATER = System.nanoTime() + Duration.ofHours(1).toNanos();

    private Turns() {
    }

    static List<CallOutcome> each(Sandbox sandbox, List<StatelessCall> calls, long until) {
        return each(Collections.nCopies(calls.size(), sandbox), calls, until);
    }

    static List<CallOutcome> each(List<Sandbox> on, List<StatelessCall> calls, long until) {
        List<CallOutcome> outcomes = new ArrayList<>();
        assertThat(CallTurns.callEach(on, calls, until, outcomes::add)).isEqualTo(outcomes.size());
        return outcomes;
    }

    /** A call of {@code function} with 30 s to run. */
    static StatelessCall call(String function, Object... args) {
        return new StatelessCall(function, args, System.nanoTime() + Duration.ofSeconds(30).toNanos());
    }
}
