package io.snapgate.gateway.cluster;

import io.snapgate.gateway.snapshot.FileStamp;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.index.Holder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps another node's blob file in place, copy-on-write, when this node can read it (one host, or a shared
 * filesystem): no copy is made. The file's sha256 is checked the first time; after that it is trusted while
 * its size, modification time and inode stay what they were. Blocking.
 */
final class SharedFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SharedFiles.class);

    private final SnapshotCatalog catalog;
    private final Map<Path, Object> trusted = new ConcurrentHashMap<>();

    SharedFiles(SnapshotCatalog catalog) {
        this.catalog = catalog;
    }

    /** Whether {@code holder}'s blob file is readable here. */
    static boolean readable(Holder holder) {
        return Files.isReadable(Path.of(holder.path()));
    }

    /** Loads the snapshot from {@code holder}'s store, read-only, mapping its memory blob where it lies. */
    void adopt(String digest, Holder holder) {
        Path blob = Path.of(holder.path());
        Object stamp = FileStamp.of(blob);
        boolean verify = !stamp.equals(trusted.get(blob));
        catalog.adopt(digest, SnapshotStore.openExisting(Path.of(holder.store())), verify);
        trusted.put(blob, stamp);
        LOG.info("mapped {} in place from node {}'s {}{}", digest, holder.node(), blob,
                verify ? " (sha256 checked)" : "");
    }

}
