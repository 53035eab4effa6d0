package io.snapgate.gateway.memory;

/**
 * A reservation the {@link MemoryBudget} refused: the client gets 503 OVERLOADED with this message (which names
 * the budget and how to raise it). Expected under load, so no stack trace.
 */
public final class OverBudget extends RuntimeException {
    private final long needed;

    OverBudget(String message, long needed) {
        super(message, null, false, false);
        this.needed = needed;
    }

    /** The bytes the refused reservation asked for. */
    public long needed() {
        return needed;
    }
}
