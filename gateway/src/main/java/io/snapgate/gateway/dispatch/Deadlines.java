package io.snapgate.gateway.dispatch;

import java.time.Duration;

/** A call's time budget: the one it asks for, capped by the maximum, or the default. */
public record Deadlines(Duration defaultDeadline, Duration maxDeadline) {

    /** The deadline, as a {@link System#nanoTime()} value, of a call admitted at {@code startNanos}. */
    public long deadline(long startNanos, Long requestedMs) {
        Duration budget = requestedMs == null ? defaultDeadline : Duration.ofMillis(requestedMs);
        if (budget.compareTo(maxDeadline) > 0) {
            budget = maxDeadline;
        }
        return startNanos + budget.toNanos();
    }
}
