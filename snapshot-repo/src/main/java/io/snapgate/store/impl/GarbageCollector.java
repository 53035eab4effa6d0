package io.snapgate.store.impl;

import io.snapgate.store.GcReport;
import io.snapgate.store.fs.AtomicFiles;
import io.snapgate.store.fs.FileStat;
import io.snapgate.store.fs.OpenFile;
import io.snapgate.store.fs.Posix;
import io.snapgate.store.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, holding the store lock, the blobs the index does not reach ({@link Reachable}: snapshots and other
 * tools' images alike) and no open file marks in use (a memory blob mapped by this process or any other: see
 * {@link MemoryBlob}), and temp files (no writer is active while we hold the lock, so every temp file is a dead
 * writer's). Refuses to delete anything when a manifest the index names cannot be read: what it references would
 * be unknown.
 */
final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final StorePaths paths;
    private final List<String> deleted = new ArrayList<>();
    private final List<String> inUse = new ArrayList<>();
    private long bytes;
    private int temps;

    GarbageCollector(StorePaths paths) {
        this.paths = paths;
    }

    GcReport collect() {
        StoreLock.holding(paths, () -> {
            sweep(paths.blobs(), Reachable.from(paths, IndexFile.read(paths)));
            sweep(paths.dir(), Set.of());
            return null;
        });
        Collections.sort(deleted);
        Collections.sort(inUse);
        return new GcReport(deleted, inUse, bytes, temps);
    }

    /** In {@code dir}: deletes temp files, and blob files whose name is a digest not in {@code keep}. */
    private void sweep(Path dir, Set<String> keep) {
        boolean changed = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean temp = AtomicFiles.isTemp(entry);
                boolean blob = dir.equals(paths.blobs()) && Digest.isHex(name) && !keep.contains(name);
                if ((temp && delete(entry)) || (blob && deleteUnused(entry))) {
                    changed = true;
                    if (temp) {
                        temps++;
                    } else {
                        deleted.add(Digest.PREFIX + name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gc " + dir, e);
        }
        if (changed) {
            Posix.fsyncDirectory(dir);
        }
    }

    /**
     * Deletes a blob that no open file marks in use, holding it exclusively meanwhile so that nobody starts to
     * use it; records one in use. A link or fifo named like a blob is nobody's blob: deleted.
     */
    private boolean deleteUnused(Path blob) {
        if (!Posix.lstat(blob).regularFile()) {
            return delete(blob);
        }
        try (OpenFile file = OpenFile.readOnly(blob)) {
            if (!file.tryLockUnused()) {
                inUse.add(Digest.PREFIX + blob.getFileName());
                return false;
            }
            return delete(blob);
        }
    }

    /** Deletes a file, link or fifo; leaves (and reports) a directory. */
    private boolean delete(Path entry) {
        FileStat stat = Posix.lstat(entry);
        if (stat.directory()) {
            LOG.warn("gc leaves {}: a {} where a blob or temp file should be", entry, stat.typeName());
            return false;
        }
        try {
            Files.delete(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("gc: delete " + entry, e);
        }
        bytes += stat.regularFile() ? stat.size() : 0;
        return true;
    }
}
