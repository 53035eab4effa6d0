package io.snapgate.gateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits: polling, for tests of nodes in other processes, and the bound on an awaited answer. */
public final class Waits {
    /**
     * Seconds a test waits for an answer it awaits (a WebSocket message, open or close, an event-bus reply): past
     * every deadline the tests set, so that a lost answer fails the test instead of hanging it.
     */
    public static final long ANSWER_S = 60;

    private Waits() {
    }

    /** Polls every 50 ms until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            sleep(50);
        }
    }

    /**
     * Sleeps, an interrupt turned into a failure. Here rather than beside the node processes: a poll must not wait
     * for their class's start (an HTTP client), which took seconds on a loaded machine and let the state polled for
     * come and go unseen.
     */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
