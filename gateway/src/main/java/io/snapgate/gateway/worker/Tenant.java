package io.snapgate.gateway.worker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Whose jobs are admitted and queued together: a bearer token, or a snapshot for calls without one. Counts the
 * tenant's jobs running or queued on the node, and holds its lane on each worker ({@link FairQueue}). Lives while
 * it has jobs: {@link Admission} makes it for the first and retires it after the last, so that thousands of
 * snapshots called once leave nothing behind. Thread-safe, without locks.
 */
final class Tenant {
    /** {@link #jobs} of a tenant retired: a job that still finds it takes a new one. */
    private static final int RETIRED = -1;

    private final String key;
    private final AtomicInteger jobs;
    private final AtomicReferenceArray<FairQueue.Lane> lanes;

    private Tenant(String key, int workers, int jobs) {
        this.key = key;
        this.jobs = new AtomicInteger(jobs);
        this.lanes = new AtomicReferenceArray<>(workers);
    }

    /** A tenant holding its first job. */
    static Tenant withFirstJob(String key, int workers) {
        return new Tenant(key, workers, 1);
    }

    /** A tenant outside admission (housekeeping), never retired. */
    static Tenant permanent(String key, int workers) {
        return new Tenant(key, workers, 0);
    }

    String key() {
        return key;
    }

    /** Jobs running or queued. */
    int jobs() {
        return jobs.get();
    }

    /** Counts one more job, unless the tenant is retired (then false). */
    boolean take() {
        for (int n = jobs.get(); n != RETIRED; n = jobs.get()) {
            if (jobs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Counts one job less; true when that was the last and the tenant is now retired. */
    boolean release() {
        return jobs.decrementAndGet() == 0 && jobs.compareAndSet(0, RETIRED);
    }

    /** This tenant's lane on worker {@code index}, made on first use. */
    FairQueue.Lane lane(int index) {
        FairQueue.Lane lane = lanes.get(index);
        if (lane == null) {
            lanes.compareAndSet(index, null, new FairQueue.Lane());
            lane = lanes.get(index);
        }
        return lane;
    }
}
