package io.snapgate.gateway.worker;

import java.util.function.IntPredicate;

/**
 * Which worker a call runs on ({@link WorkerPool#pick}), from plain values: the least loaded worker that maps the
 * call's snapshot, else the snapshot's home worker ({@link HomeWorkers}), unless that one has more than
 * {@link #MISS_WORTH_JOBS} more jobs than the least loaded worker, or any job while another worker has none, and the
 * least loaded takes it. A snapshot thus stays with one worker, so that calls spread over many snapshots find their
 * sandboxes instead of every worker keeping (and, past its memory, missing) every snapshot.
 */
final class Placement {
    /**
     * Queued jobs a call would rather wait behind on a worker that maps its snapshot than miss on an idler one: a
     * miss (map, first run, an eviction) costs about as much as ten calls on a mapped sandbox (BENCHMARKS.md, "Many
     * snapshots").
     */
    static final int MISS_WORTH_JOBS = 10;

    private Placement() {
    }

    /**
     * The index of the worker for a call, given each worker's {@code loads} (jobs queued or running), which workers
     * map the snapshot ({@code holds}) and its {@code home} worker (-1: the call names no snapshot, any worker
     * serves it). Of workers equally loaded, the first from {@code start} on wins: the caller varies it to spread
     * ties.
     */
    static int pick(int[] loads, IntPredicate holds, int home, int start) {
        int holder = -1;
        int idlest = -1;
        for (int n = 0; n < loads.length; n++) {
            int w = (start + n) % loads.length;
            if (idlest < 0 || loads[w] < loads[idlest]) {
                idlest = w;
            }
            if (holds.test(w) && (holder < 0 || loads[w] < loads[holder])) {
                holder = w;
            }
        }
        int preferred = holder >= 0 ? holder : home >= 0 ? home : idlest;
        int choice = loads[preferred] <= loads[idlest] + MISS_WORTH_JOBS ? preferred : idlest;
        // Never behind a job while a worker has none: a miss costs about a millisecond, the job ahead may run
        // until its deadline
        return loads[choice] > 0 && loads[idlest] == 0 ? idlest : choice;
    }
}
