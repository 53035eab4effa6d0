package io.snapgate.gateway.worker;

import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.sandbox.Snapshot;

/**
 * A session's snapshot handed off its worker, with its memory image held, so that another thread can save it
 * even while the session goes on or ends. Close it when done.
 */
public final class HeldSnapshot implements AutoCloseable {
    private final Snapshot snapshot;
    private final MemoryFile memory;

    HeldSnapshot(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.memory = snapshot.memory().retain();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public void close() {
        memory.release();
    }
}
