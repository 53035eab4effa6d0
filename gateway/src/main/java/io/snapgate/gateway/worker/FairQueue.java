package io.snapgate.gateway.worker;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker's waiting jobs, taken in turns between tenants: each tenant has a lane (its jobs in order), and the
 * lanes with jobs wait in a ring; the worker runs the oldest job of the lane at the front, then puts that lane at
 * the back. So a cheap call waits behind at most one job of each other tenant, however many a flooding tenant has
 * queued. Without locks: any thread adds, the worker's own thread takes ({@link #runNext}, once per job added:
 * {@link Worker} counts them).
 */
final class FairQueue {
    /** A tenant's jobs on one worker; {@code waiting} counts them, and the lane is in the ring while it is above 0. */
    static final class Lane {
        private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();
        private final AtomicInteger waiting = new AtomicInteger();
    }

    private final ConcurrentLinkedQueue<Lane> ring = new ConcurrentLinkedQueue<>();

    /** Queues {@code job} in {@code lane}; the caller then has {@link #runNext} run once on the worker's thread. */
    void add(Lane lane, Runnable job) {
        lane.jobs.add(job);
        if (lane.waiting.getAndIncrement() == 0) {
            ring.add(lane);
        }
    }

    /**
     * Runs the next job; false when there is none yet: a job was added to a lane whose first adder counted its own
     * job but has not put the lane in the ring (it is between two statements), so the caller asks again later. The
     * lane goes back into the ring only after its job ran, so a tenant that arrived meanwhile is ahead of it.
     * Worker thread only.
     */
    boolean runNext() {
        Lane lane = ring.poll();
        if (lane == null) {
            return false;
        }
        try {
            lane.jobs.poll().run();
        } finally {
            if (lane.waiting.decrementAndGet() > 0) {
                ring.add(lane);
            }
        }
        return true;
    }
}
