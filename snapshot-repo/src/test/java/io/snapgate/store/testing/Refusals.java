package io.snapgate.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The one assertion every refusal test makes: this problem, a message that starts by naming it, and mentions. */
public final class Refusals {
    private Refusals() {
    }

    public static void assertRefused(ThrowingCallable call, Problem problem, String... mentions) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SnapshotFormatException.class, e -> {
            assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
            assertThat(e.getMessage()).startsWith(problem.description() + ": ");
            for (String mention : mentions) {
                assertThat(e.getMessage()).contains(mention);
            }
        });
    }
}
