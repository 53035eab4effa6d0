package io.snapgate.gateway.cli;

import io.snapgate.gateway.error.Errors;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Snapshot;
import java.util.List;

/**
 * Loads a store's snapshots one by one for the commands that report on them (ls, verify): a damaged snapshot is
 * reported and the walk goes on, so one bad tag does not hide the others.
 */
final class StoreWalk {
    /** What to do with each snapshot that loaded (closed after), and with each that did not. */
    interface Visitor {
        void loaded(String tag, String digest, Snapshot snapshot, long nanos);

        void damaged(String tag, String problem);
    }

    private StoreWalk() {
    }

    /**
     * Loads the snapshot of every tag in {@code tags} (all of the store's when empty), with the memory blob's
     * sha256 checked when {@code verify}; returns how many did not load.
     */
    static int walk(SnapshotStore store, List<String> tags, boolean verify, Visitor visitor) {
        int damaged = 0;
        for (String tag : tags.isEmpty() ? store.tags() : tags) {
            long start = System.nanoTime();
            try {
                String digest = store.resolve(tag);
                try (Snapshot snapshot = verify ? Snapshot.loadChecked(store, digest) : Snapshot.load(store, digest)) {
                    visitor.loaded(tag, digest, snapshot, System.nanoTime() - start);
                }
            } catch (RuntimeException e) {
                if (!Errors.selfDescribing(e)) {
                    throw e;
                }
                damaged++;
                visitor.damaged(tag, Errors.describe(e));
            }
        }
        return damaged;
    }
}
