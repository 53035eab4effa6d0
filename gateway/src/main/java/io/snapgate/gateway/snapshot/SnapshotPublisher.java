package io.snapgate.gateway.snapshot;

import io.snapgate.vmm.sandbox.Snapshot;
import java.util.function.BiConsumer;

/**
 * Makes a snapshot callable by tag: saves it into the node's store (durable on return), loads it into the catalog
 * and, in a cluster, announces the tag. Blocking: run it off the event loop and off the workers.
 */
public final class SnapshotPublisher {
    private final SnapshotCatalog catalog;
    private final BiConsumer<String, String> announce;

    /** {@code announce}: told (tag, manifest digest) after each save; does nothing on a node on its own. */
    public SnapshotPublisher(SnapshotCatalog catalog, BiConsumer<String, String> announce) {
        this.catalog = catalog;
        this.announce = announce;
    }

    public SnapshotEntry publish(Snapshot snapshot, String tag) {
        return received(tag, snapshot.save(catalog.store(), tag));
    }

    /** After {@code tag} was written into the store by other means (a pull): loads it, and announces it. */
    public SnapshotEntry received(String tag, String digest) {
        SnapshotEntry entry = catalog.load(digest);
        announce.accept(tag, entry.digest());
        return entry;
    }
}
