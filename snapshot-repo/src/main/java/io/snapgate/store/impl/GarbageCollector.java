package io.snapgate.store.impl;

import io.snapgate.store.GcReport;
import io.snapgate.store.fs.AtomicFiles;
import io.snapgate.store.fs.FileStat;
import io.snapgate.store.fs.Posix;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.ImageManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, holding the store lock, the blobs no tag references (through its manifest) and no caller declares
 * live, and temp files (no writer is active while we hold the lock, so every temp file is a dead writer's).
 * Refuses to delete anything when a tagged manifest cannot be read: what it references would be unknown.
 */
final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final StorePaths paths;
    private final List<String> deleted = new ArrayList<>();
    private long bytes;
    private int temps;

    GarbageCollector(StorePaths paths) {
        this.paths = paths;
    }

    GcReport collect(Set<String> liveBlobDigests) {
        Set<String> keep = new HashSet<>();
        for (String live : liveBlobDigests) {
            keep.add(Digest.parse(live, "live blob digest").hex());
        }
        StoreLock.holding(paths, () -> {
            keep.addAll(referenced(IndexFile.read(paths)));
            sweep(paths.blobs(), keep);
            sweep(paths.dir(), Set.of());
            return null;
        });
        Collections.sort(deleted);
        return new GcReport(deleted, bytes, temps);
    }

    /** The hex digests of every tagged manifest and of its config and memory blobs. */
    private Set<String> referenced(ImageIndex index) {
        Set<String> hex = new HashSet<>();
        for (Descriptor d : index.tagged().values()) {
            Digest manifestDigest = Digest.parse(d.digest(), "manifest digest");
            ImageManifest manifest = ManifestFile.read(paths, manifestDigest, d.size());
            hex.add(manifestDigest.hex());
            hex.add(Digest.parse(manifest.config().digest(), "config digest").hex());
            hex.add(Digest.parse(manifest.memory().digest(), "memory digest").hex());
        }
        return hex;
    }

    /** In {@code dir}: deletes temp files, and blob files whose name is a digest not in {@code keep}. */
    private void sweep(Path dir, Set<String> keep) {
        boolean changed = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean temp = AtomicFiles.isTemp(entry);
                boolean blob = dir.equals(paths.blobs()) && Digest.isHex(name) && !keep.contains(name);
                if ((temp || blob) && delete(entry)) {
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
