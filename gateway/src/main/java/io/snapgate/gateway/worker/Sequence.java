package io.snapgate.gateway.worker;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Jobs that must run in the order they were submitted, such as a session's operations: only one of them is in its
 * worker's queue (or running) at a time, the later ones wait here until it has run. Each still goes in its own
 * tenant's lane ({@link FairQueue}), which orders only that tenant's jobs: without this, a session's close (a
 * housekeeping job) or another tenant's call into the session could overtake a call queued before it. What waits
 * here was admitted, so it is bounded by the node's places. Thread-safe; the lock guards two fields.
 */
public final class Sequence {
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private boolean queued;

    /** Runs {@code enqueue} (which queues a job on the worker) now if no job of this sequence is queued, else later. */
    void add(Runnable enqueue) {
        synchronized (this) {
            if (queued) {
                waiting.add(enqueue);
                return;
            }
            queued = true;
        }
        enqueue.run();
    }

    /** The job queued last has run: queues the next one, if any. */
    void next() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            queued = next != null;
        }
        if (next != null) {
            next.run();
        }
    }
}
