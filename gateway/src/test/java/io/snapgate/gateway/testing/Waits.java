package io.snapgate.gateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling, for tests of nodes in other processes. */
public final class Waits {
    private Waits() {
    }

    /** Polls every 50 ms until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            NodeProcess.sleep(50);
        }
    }
}
