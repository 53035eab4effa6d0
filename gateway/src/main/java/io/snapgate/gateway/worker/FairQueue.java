package io.snapgate.gateway.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * One worker's waiting jobs, taken in turns between tenants: each tenant has a lane (its jobs in order), and the
 * lanes with jobs wait in a ring; the worker runs the oldest job of the lane at the front, then puts that lane at
 * the back. So a cheap call waits behind at most one job of each other tenant, however many a flooding tenant has
 * queued. A turn may take several jobs that the worker runs as one (stateless calls, in one hand-over to the
 * vCPUs): a lane's next ones, then the next lanes'. Without locks: any thread adds, the worker's own thread takes
 * ({@link #runNext}, once per job added less the turn's others: {@link Worker} counts them).
 */
final class FairQueue {
    /** A tenant's jobs on one worker; {@code waiting} counts them, and the lane is in the ring while it is above 0. */
    static final class Lane {
        private final ConcurrentLinkedDeque<Runnable> jobs = new ConcurrentLinkedDeque<>();
        private final AtomicInteger waiting = new AtomicInteger();
    }

    private final ConcurrentLinkedDeque<Lane> ring = new ConcurrentLinkedDeque<>();

    /** Queues {@code job} in {@code lane}; the caller then has {@link #runNext} run once on the worker's thread. */
    void add(Lane lane, Runnable job) {
        lane.jobs.add(job);
        if (lane.waiting.getAndIncrement() == 0) {
            ring.add(lane);
        }
    }

    /**
     * Runs the next turn: the oldest job of the lane at the front, and after it, while {@code joins} accepts them
     * and up to {@code max} in all, that lane's next jobs, then the next lanes' (each lane once, in the ring's
     * order), all handed to {@code run} in order. {@code run} returns those it did not run (never all), which go
     * back to the front of their lanes in order; a lane none of whose jobs ran keeps its place at the front of the
     * ring. Returns how many jobs ran; 0 when there is none yet: a job was added to a lane whose first adder counted
     * its own job but has not put the lane in the ring (it is between two statements), so the caller asks again
     * later. A lane goes back into the ring only after its turn ran, so a tenant that arrived meanwhile is ahead of
     * it. Worker thread only.
     */
    int runNext(BiPredicate<Runnable, Runnable> joins, int max, UnaryOperator<List<Runnable>> run) {
        Lane lane = ring.poll();
        if (lane == null) {
            return 0;
        }
        Runnable first = lane.jobs.poll();
        List<Runnable> turn = new ArrayList<>(1);
        List<Lane> laneOf = new ArrayList<>(1);
        List<Lane> lanes = new ArrayList<>(1);
        turn.add(first);
        laneOf.add(lane);
        lanes.add(lane);
        int fromLane = 1;
        while (turn.size() < max) {
            Runnable next;
            if (lane.waiting.get() > fromLane) { // only counted jobs: each of those is in the lane's queue already
                next = lane.jobs.peek();
                if (!joins.test(first, next)) {
                    break;
                }
                lane.jobs.poll();
                fromLane++;
            } else {
                Lane following = ring.peek(); // a lane in the ring has a counted job
                if (following == null || !joins.test(first, next = following.jobs.peek())) {
                    break;
                }
                lane = ring.poll();
                lane.jobs.poll();
                lanes.add(lane);
                fromLane = 1;
            }
            turn.add(next);
            laneOf.add(lane);
        }
        List<Runnable> notRun = List.of();
        try {
            notRun = run.apply(turn);
        } finally {
            putBack(turn, laneOf, lanes, notRun);
        }
        return turn.size() - notRun.size();
    }

    /** The turn's jobs that did not run go back to the front of their lanes; lanes with jobs back into the ring. */
    private void putBack(List<Runnable> turn, List<Lane> laneOf, List<Lane> lanes, List<Runnable> notRun) {
        Map<Lane, Integer> ran = new IdentityHashMap<>();
        Set<Runnable> back = Collections.newSetFromMap(new IdentityHashMap<>());
        back.addAll(notRun);
        for (int i = turn.size() - 1; i >= 0; i--) {
            if (back.contains(turn.get(i))) {
                laneOf.get(i).jobs.addFirst(turn.get(i));
            } else {
                ran.merge(laneOf.get(i), 1, Integer::sum);
            }
        }
        for (int i = lanes.size() - 1; i >= 0; i--) { // lanes none of whose jobs ran: at the front, in order
            Lane l = lanes.get(i);
            if (!ran.containsKey(l)) {
                ring.addFirst(l);
            }
        }
        for (Lane l : lanes) {
            Integer n = ran.get(l);
            if (n != null && l.waiting.addAndGet(-n) > 0) {
                ring.add(l);
            }
        }
    }
}
