package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.fs.AtomicFiles;
import io.snapgate.store.fs.Posix;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.OciLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finding the store directory and laying out an empty store in it: {@code blobs/sha256/}, then
 * {@code oci-layout}, then {@code index.json} last (its presence marks a complete layout). A directory holding
 * anything else is not taken over.
 */
final class StoreDirectory {
    private static final Set<String> OURS = Set.of(OciLayout.FILE, StorePaths.BLOBS, StorePaths.LOCK);

    private StoreDirectory() {
    }

    /** The directory's real path; created first when missing and {@code create}. */
    static Path prepare(Path dir, boolean create) {
        try {
            if (!Files.exists(dir)) {
                if (!create) {
                    throw new SnapshotFormatException(Problem.MISSING_DIRECTORY, dir + " does not exist");
                }
                Files.createDirectories(dir);
            }
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new SnapshotFormatException(Problem.NOT_A_STORE, dir + " is not a directory");
            }
            return real;
        } catch (IOException e) {
            throw new UncheckedIOException("open store " + dir, e);
        }
    }

    /** Lays out an empty store unless {@code index.json} is already there. */
    static void initialize(StorePaths paths) {
        if (Files.exists(paths.index(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        StoreLock.holding(paths, () -> {
            if (!Files.exists(paths.index(), LinkOption.NOFOLLOW_LINKS)) {
                layOut(paths);
            }
            return null;
        });
    }

    private static void layOut(StorePaths paths) {
        try {
            List<String> foreign = foreign(paths.dir());
            if (!foreign.isEmpty()) {
                throw new SnapshotFormatException(Problem.NOT_A_STORE, paths.dir() + " has no index.json but holds "
                        + foreign + "; refusing to lay out a store over them");
            }
            Files.createDirectories(paths.blobs());
            Posix.fsyncDirectory(paths.blobs().getParent());
            IndexFile.writeLayout(paths);
            IndexFile.write(paths, ImageIndex.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("lay out store " + paths.dir(), e);
        }
    }

    /** Entries that are neither ours nor a temp file. */
    private static List<String> foreign(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> !OURS.contains(p.getFileName().toString()) && !AtomicFiles.isTemp(p))
                    .forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }
}
