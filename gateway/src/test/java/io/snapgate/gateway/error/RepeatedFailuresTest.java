package io.snapgate.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepeatedFailuresTest {
    private static final long WINDOW = RepeatedFailures.WINDOW_NANOS;

    private final RepeatedFailures repeats = new RepeatedFailures();

    @Test
    void theFirstOfAKindIsLoggedItsRepeatsCountedUntilTheWindowEnds() {
        assertThat(repeats.admit("store gone", 0)).isZero();
        assertThat(repeats.admit("store gone", 1)).isEqualTo(-1);
        assertThat(repeats.admit("store gone", WINDOW - 1)).isEqualTo(-1);
        assertThat(repeats.admit("store gone", WINDOW)).as("the next one logged carries the count").isEqualTo(2);
        assertThat(repeats.admit("store gone", WINDOW + 1)).isEqualTo(-1);
        assertThat(repeats.admit("store gone", 3 * WINDOW)).isEqualTo(1);
    }

    @Test
    void kindsAreCountedApart() {
        assertThat(repeats.admit("a", 0)).isZero();
        assertThat(repeats.admit("b", 1)).isZero();
        assertThat(repeats.admit("a", 2)).isEqualTo(-1);
        assertThat(repeats.admit("b", 3)).isEqualTo(-1);
    }

    @Test
    void tooManyKindsAreForgottenNotKeptForever() {
        for (int i = 0; i < RepeatedFailures.MAX_KINDS; i++) {
            assertThat(repeats.admit("kind " + i, 0)).isZero();
        }
        assertThat(repeats.admit("kind 0", 1)).as("still tracked").isEqualTo(-1);
        assertThat(repeats.admit("one kind too many", 2)).isZero();
        assertThat(repeats.admit("kind 0", 3)).as("forgotten: logged again").isZero();
    }
}
