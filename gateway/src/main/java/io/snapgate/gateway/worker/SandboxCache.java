package io.snapgate.gateway.worker;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A worker's stateless sandboxes, one per snapshot digest, least recently used evicted (closed: vCPU released,
 * memory unmapped, its reservation given back) beyond the capacity or when the memory budget needs room.
 * Confined to the worker thread, except {@link #holds}.
 */
final class SandboxCache {
    private final Function<SnapshotEntry, Slot> open;
    private final int capacity;
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    /** The digests cached here, readable from any thread: the dispatcher prefers a worker that has one. */
    private final Set<String> digests = ConcurrentHashMap.newKeySet();

    /** {@code open} makes the slot of a snapshot missing here. */
    SandboxCache(Function<SnapshotEntry, Slot> open, int capacity) {
        this.open = open;
        this.capacity = capacity;
    }

    /**
     * The slot for the snapshot, made (the eldest evicted first when full) when missing, or when its sandbox went
     * with an emulator process that another guest crashed: its caller's call must not fail for that.
     */
    Slot get(SnapshotEntry entry) {
        Slot slot = slots.get(entry.digest());
        if (slot != null && slot.sandbox.isLost()) {
            discard(slot);
            slot = null;
        }
        if (slot == null) {
            if (slots.size() >= capacity) {
                discard(slots.values().iterator().next());
            }
            slot = open.apply(entry);
            slots.put(entry.digest(), slot);
            digests.add(entry.digest());
        }
        return slot;
    }

    /** Evicts the least recently used sandboxes until {@code bytes} fit the budget, or none is left. */
    void makeRoom(MemoryBudget budget, long bytes) {
        while (!slots.isEmpty() && !budget.fits(bytes)) {
            discard(slots.values().iterator().next());
        }
    }

    /** Closes the slot's sandbox and forgets it. */
    void discard(Slot slot) {
        if (slots.remove(slot.digest, slot)) {
            digests.remove(slot.digest);
        }
        slot.close();
    }

    boolean holds(String digest) {
        return digests.contains(digest);
    }

    Collection<Slot> slots() {
        return slots.values();
    }

    int size() {
        return digests.size();
    }

    void closeAll() {
        List.copyOf(slots.values()).forEach(this::discard);
    }
}
