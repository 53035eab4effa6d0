package io.snapgate.gateway.worker;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The cached sandboxes of one worker that hold a vCPU between calls, at most {@code capacity}: past it, the least
 * recently used gives its vCPU back at once. On the emulated backend a vCPU is a Unicorn engine holding the
 * guest's translated code (about 2.7 MiB resident each, BENCHMARKS.md), which goes back to its emulator process's
 * pool with that code, where a later vCPU of the same code finds it; without this bound, calls spread over many
 * snapshots would keep an engine per snapshot until the idle timer runs. Confined to the worker thread, except
 * {@link #size}.
 */
final class HeldVcpus {
    private final int capacity;
    private final LinkedHashSet<Slot> slots = new LinkedHashSet<>();
    /** The size of {@link #slots}, readable from any thread. */
    private volatile int size;

    HeldVcpus(int capacity) {
        this.capacity = capacity;
    }

    /** The slot just ran a call (and so holds a vCPU); the least recently used past the capacity let theirs go. */
    void used(Slot slot) {
        slots.remove(slot);
        slots.add(slot);
        Iterator<Slot> eldest = slots.iterator();
        while (slots.size() > capacity) {
            eldest.next().releaseVcpu();
            eldest.remove();
        }
        size = slots.size();
    }

    /** The slot gave its vCPU back, or is closed. */
    void released(Slot slot) {
        slots.remove(slot);
        size = slots.size();
    }

    /** Readable from any thread. */
    int size() {
        return size;
    }
}
