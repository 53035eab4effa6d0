package io.snapgate.gateway.worker;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.MemoryUse;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The cached sandboxes of one worker that hold a vCPU between calls, least recently used first, each charged
 * {@code bytesEach} in the node's memory budget ({@link MemoryUse#CACHED_VCPUS}) while it holds it. On the
 * emulated backend a vCPU is a Unicorn engine holding the guest's translated code, which goes back to its
 * emulator process's pool with that code, where a later vCPU of the same code finds it; without a bound, calls
 * spread over many snapshots would keep an engine per snapshot until the idle timer runs. {@link SandboxCache}
 * decides how many: as many as fit the worker's idle sandbox bytes. Confined to the worker thread, except
 * {@link #size}.
 */
final class HeldVcpus {
    private final long bytesEach;
    private final MemoryBudget budget;
    private final LinkedHashSet<Slot> slots = new LinkedHashSet<>();
    /** The size of {@link #slots}, readable from any thread. */
    private volatile int size;

    HeldVcpus(long bytesEach, MemoryBudget budget) {
        this.bytesEach = bytesEach;
        this.budget = budget;
    }

    /**
     * The slot just ran a call (and so holds a vCPU): it is the most recently used now. A vCPU not charged yet is
     * charged, or given back at once when the node's budget has no room for it (sessions and calls come first).
     */
    void used(Slot slot) {
        if (slots.remove(slot) || budget.tryReserve(MemoryUse.CACHED_VCPUS, bytesEach)) {
            slots.add(slot);
        } else {
            slot.releaseVcpu();
        }
        size = slots.size();
    }

    /** The least recently used gives its vCPU back; false when none holds one. */
    boolean releaseEldest() {
        Iterator<Slot> eldest = slots.iterator();
        if (!eldest.hasNext()) {
            return false;
        }
        Slot slot = eldest.next();
        eldest.remove();
        budget.release(MemoryUse.CACHED_VCPUS, bytesEach);
        size = slots.size();
        slot.releaseVcpu();
        return true;
    }

    /** The slot gave its vCPU back, or is closed. */
    void released(Slot slot) {
        if (slots.remove(slot)) {
            budget.release(MemoryUse.CACHED_VCPUS, bytesEach);
            size = slots.size();
        }
    }

    /** What the vCPUs held are charged, in all. */
    long bytes() {
        return slots.size() * bytesEach;
    }

    /** Readable from any thread. */
    int size() {
        return size;
    }
}
