package io.snapgate.store.impl;

import io.snapgate.store.BlobSource;
import io.snapgate.store.GcReport;
import io.snapgate.store.IndexEntry;
import io.snapgate.store.LoadedSnapshot;
import io.snapgate.store.MemorySource;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.fs.FileStat;
import io.snapgate.store.fs.Posix;
import io.snapgate.store.fs.PosixException;
import io.snapgate.store.oci.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SnapshotStore} on a directory: opens (or creates) the layout, then delegates each operation. */
public final class FileSnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);

    private final StorePaths paths;
    private final SnapshotLoader loader;
    private final SnapshotWriter writer;
    private final AtomicLong writesEnded = new AtomicLong();

    private FileSnapshotStore(StorePaths paths) {
        this.paths = paths;
        this.loader = new SnapshotLoader(paths);
        this.writer = new SnapshotWriter(paths);
    }

    /** Opens the store in {@code dir}; with {@code create}, makes the directory and an empty layout if needed. */
    public static FileSnapshotStore open(Path dir, boolean create) {
        StorePaths paths = new StorePaths(StoreDirectory.prepare(dir, create));
        if (create) {
            StoreDirectory.initialize(paths);
        }
        IndexFile.read(paths);
        requireDirectory(paths.blobs());
        return new FileSnapshotStore(paths);
    }

    private static void requireDirectory(Path dir) {
        FileStat stat;
        try {
            stat = Posix.lstat(dir);
        } catch (PosixException e) {
            throw new SnapshotFormatException(Problem.NOT_A_STORE, dir + " is missing: " + e.getMessage());
        }
        if (!stat.directory()) {
            throw new SnapshotFormatException(Problem.NOT_A_STORE, dir + " is a " + stat.typeName()
                    + ", not a directory");
        }
    }

    @Override
    public Path directory() {
        return paths.dir();
    }

    @Override
    public String save(String tag, SnapshotConfig config, MemorySource memory) {
        return timed("saved", tag, memory.size(), () -> writer.save(tag, config, memory));
    }

    @Override
    public String receive(String tag, SnapshotInfo info, BlobSource source) {
        return timed("received", tag, info.memorySize(), () -> writer.receive(tag, info, source));
    }

    /** Runs a write that tags a snapshot and logs how long it took. */
    private String timed(String what, String tag, long memoryBytes, Supplier<Digest> write) {
        long start = System.nanoTime();
        Digest digest = withRoom("keep " + tag, write);
        LOG.info("{} {} as {} ({} bytes of memory) in {} us", what, tag, digest, memoryBytes,
                (System.nanoTime() - start) / 1000);
        return digest.toString();
    }

    /**
     * Runs a write, counted in {@link #writesEnded} however it ends; a file system out of room becomes
     * {@link Problem#STORE_FULL}. The index is replaced last, so such a failure leaves it as it was; blobs written
     * before it are unreferenced, and gc frees them.
     */
    private <T> T withRoom(String doing, Supplier<T> write) {
        try {
            return write.get();
        } catch (PosixException e) {
            if (!e.noSpace()) {
                throw e;
            }
            SnapshotFormatException full = new SnapshotFormatException(Problem.STORE_FULL, "no room left in "
                    + paths.dir() + " to " + doing + " (" + e.getMessage() + "); the index is as it was, and gc frees"
                    + " any blob written before", e);
            LOG.warn("{}", full.getMessage());
            throw full;
        } finally {
            writesEnded.incrementAndGet();
        }
    }

    @Override
    public long writesEnded() {
        return writesEnded.get();
    }

    @Override
    public SnapshotInfo inspect(String ref) {
        return loader.inspect(ref);
    }

    @Override
    public Path blobFile(String digest) {
        return paths.blob(Digest.parse(digest, "blob digest"));
    }

    @Override
    public LoadedSnapshot load(String ref, boolean verify) {
        return loader.load(ref, verify);
    }

    @Override
    public String resolve(String ref) {
        return loader.resolve(ref).toString();
    }

    @Override
    public List<String> tags() {
        return IndexEntries.tags(entries());
    }

    @Override
    public List<IndexEntry> entries() {
        return IndexEntries.of(paths, IndexFile.read(paths));
    }

    @Override
    public boolean delete(String tag) {
        boolean deleted = withRoom("delete " + tag, () -> writer.delete(tag));
        LOG.info("delete {}: {}", tag, deleted ? "removed" : "no such tag");
        return deleted;
    }

    @Override
    public GcReport gc() {
        GcReport report = new GarbageCollector(paths).collect();
        LOG.info("gc of {} freed {} blobs, {} temp files, {} bytes; kept {} blobs in use", paths.dir(),
                report.count(), report.tempFilesDeleted(), report.bytesFreed(), report.inUseDigests().size());
        return report;
    }

    @Override
    public String toString() {
        return "SnapshotStore[" + paths.dir() + "]";
    }
}
