package io.snapgate.gateway.worker;

import io.snapgate.gateway.snapshot.SnapshotEntry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's stateless sandboxes, one per snapshot digest, least recently used evicted (closed: vCPU released,
 * memory unmapped) beyond the capacity. Confined to the worker thread, except {@link #holds}.
 */
final class SandboxCache {
    private final SandboxFactory factory;
    private final int capacity;
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    /** The digests cached here, readable from any thread: the dispatcher prefers a worker that has one. */
    private final Set<String> digests = ConcurrentHashMap.newKeySet();

    SandboxCache(SandboxFactory factory, int capacity) {
        this.factory = factory;
        this.capacity = capacity;
    }

    /**
     * The slot for the snapshot, made (and the eldest evicted) when missing, or when its sandbox went with an
     * emulator process that another guest crashed: its caller's call must not fail for that.
     */
    Slot get(SnapshotEntry entry) {
        Slot slot = slots.get(entry.digest());
        if (slot != null && slot.sandbox.isLost()) {
            discard(slot);
            slot = null;
        }
        if (slot == null) {
            slot = new Slot(entry.digest(), factory.create(entry));
            slots.put(entry.digest(), slot);
            digests.add(entry.digest());
            if (slots.size() > capacity) {
                Map.Entry<String, Slot> eldest = slots.entrySet().iterator().next();
                discard(eldest.getValue());
            }
        }
        return slot;
    }

    /** Closes the slot's sandbox and forgets it. */
    void discard(Slot slot) {
        if (slots.remove(slot.digest, slot)) {
            digests.remove(slot.digest);
        }
        slot.sandbox.close();
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
