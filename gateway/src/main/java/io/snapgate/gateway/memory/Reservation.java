package io.snapgate.gateway.memory;

import java.util.concurrent.atomic.AtomicBoolean;

/** Bytes reserved in a {@link MemoryBudget} until {@link #close}; closing twice releases them once. */
public final class Reservation implements AutoCloseable {
    private final MemoryBudget budget;
    private final MemoryUse use;
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    Reservation(MemoryBudget budget, MemoryUse use, long bytes) {
        this.budget = budget;
        this.use = use;
        this.bytes = bytes;
    }

    /** The bytes reserved. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            budget.release(use, bytes);
        }
    }
}
