package io.snapgate.gateway.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * One worker's waiting jobs, taken in turns between tenants: each tenant has a lane (its jobs in order), and the
 * lanes with jobs wait in a ring; the worker runs the oldest job of the lane at the front, then puts that lane at
 * the back. So a cheap call waits behind at most one job of each other tenant, however many a flooding tenant has
 * queued. A turn may take several of a lane's jobs that the worker runs as one (stateless calls of one snapshot,
 * in one hand-over to the vCPU). Without locks: any thread adds, the worker's own thread takes ({@link #runNext},
 * once per job added less the turn's others: {@link Worker} counts them).
 */
final class FairQueue {
    /** A tenant's jobs on one worker; {@code waiting} counts them, and the lane is in the ring while it is above 0. */
    static final class Lane {
        private final ConcurrentLinkedDeque<Runnable> jobs = new ConcurrentLinkedDeque<>();
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
     * Runs the next turn: the oldest job of the lane at the front, and after it, while {@code joins} accepts them
     * and up to {@code max} in all, that lane's next jobs, all handed to {@code run} in order. {@code run} returns
     * those it did not run (never the first), which go back to the front of the lane in order. Returns how many
     * jobs ran; 0 when there is none yet: a job was added to a lane whose first adder counted its own job but has
     * not put the lane in the ring (it is between two statements), so the caller asks again later. The lane goes
     * back into the ring only after its turn ran, so a tenant that arrived meanwhile is ahead of it. Worker thread
     * only.
     */
    int runNext(BiPredicate<Runnable, Runnable> joins, int max, UnaryOperator<List<Runnable>> run) {
        Lane lane = ring.poll();
        if (lane == null) {
            return 0;
        }
        Runnable first = lane.jobs.poll();
        List<Runnable> turn = new ArrayList<>(1);
        turn.add(first);
        // only counted jobs: each of those is in the lane's queue already
        while (turn.size() < max && lane.waiting.get() > turn.size() && joins.test(first, lane.jobs.peek())) {
            turn.add(lane.jobs.poll());
        }
        List<Runnable> notRun = List.of();
        try {
            notRun = run.apply(turn);
        } finally {
            for (int i = notRun.size() - 1; i >= 0; i--) {
                lane.jobs.addFirst(notRun.get(i));
            }
            if (lane.waiting.addAndGet(notRun.size() - turn.size()) > 0) {
                ring.add(lane);
            }
        }
        int ran = turn.size() - notRun.size();
        return ran;
    }
}
