package io.snapgate.gateway.snapshot;

import io.snapgate.gateway.memory.Reservation;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.Snapshot;

/**
 * A guest just built: the sandbox its init ran in, holding no vCPU any more (so any thread may save and close
 * it), the snapshot the init produced, which lives as long as the sandbox, and the memory both reserved.
 */
public final class BuiltGuest implements AutoCloseable {
    private final Sandbox sandbox;
    private final Reservation reservation;

    BuiltGuest(Sandbox sandbox, Reservation reservation) {
        this.sandbox = sandbox;
        this.reservation = reservation;
    }

    public Snapshot snapshot() {
        return sandbox.currentSnapshot();
    }

    /** Saves the snapshot in {@code store} under {@code tag}; returns its manifest digest. Durable on return. */
    public String save(SnapshotStore store, String tag) {
        return snapshot().save(store, tag);
    }

    /** Unmaps the sandbox and its snapshot, and gives back their memory. */
    @Override
    public void close() {
        try {
            sandbox.close();
        } finally {
            reservation.close();
        }
    }
}
