package io.snapgate.gateway.worker;

import io.snapgate.gateway.snapshot.SnapshotEntry;

/**
 * A stateless call of a snapshot's function (arguments already checked), by {@code deadline}
 * ({@link System#nanoTime()}). The worker runs several in one turn ({@link WorkerState#callEach}).
 */
public record StatelessCallJob(SnapshotEntry entry, String function, Object[] args, long deadline)
        implements WorkerJob<GuestReturn> {
    @Override
    public GuestReturn run(WorkerState state) {
        return state.call(entry, function, args, deadline);
    }
}
