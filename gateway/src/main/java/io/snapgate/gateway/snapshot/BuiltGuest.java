package io.snapgate.gateway.snapshot;

import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.Snapshot;

/**
 * A guest just built: the sandbox its init ran in, holding no vCPU any more (so any thread may save and close
 * it), and the snapshot the init produced, which lives as long as the sandbox.
 */
public final class BuiltGuest implements AutoCloseable {
    private final Sandbox sandbox;

    BuiltGuest(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public Snapshot snapshot() {
        return sandbox.currentSnapshot();
    }

    /** Saves the snapshot in {@code store} under {@code tag}; returns its manifest digest. Durable on return. */
    public String save(SnapshotStore store, String tag) {
        return snapshot().save(store, tag);
    }

    /** Unmaps the sandbox and its snapshot. */
    @Override
    public void close() {
        sandbox.close();
    }
}
