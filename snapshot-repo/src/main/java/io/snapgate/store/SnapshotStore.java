package io.snapgate.store;

import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.impl.FileSnapshotStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Snapshots on disk, in an OCI image layout directory (docs/snapshot-format.md). Thread-safe, and safe to
 * share between processes: writers ({@link #save}, {@link #delete}, {@link #gc}) take an exclusive lock on the
 * store; readers take none and see the index as it was before or after each write, never a mix.
 *
 * <p>Every refusal is a {@link SnapshotFormatException} carrying a {@link Problem}; failing I/O is a
 * {@link io.snapgate.store.fs.PosixException} or an {@link java.io.UncheckedIOException}.
 */
public interface SnapshotStore {
    /** Opens the store in {@code dir}, creating the directory and an empty layout when it is missing or empty. */
    static SnapshotStore open(Path dir) {
        return FileSnapshotStore.open(dir, true);
    }

    /** Opens an existing store; refuses ({@link Problem#MISSING_DIRECTORY}) rather than create one. */
    static SnapshotStore openExisting(Path dir) {
        return FileSnapshotStore.open(dir, false);
    }

    /** The store's directory (its real path). */
    Path directory();

    /**
     * Writes the snapshot and points {@code tag} at it, replacing what the tag named before; returns the
     * manifest digest ({@code sha256:<hex>}). Blobs are content-addressed and written once; every file is
     * durable (fsynced, and its directory too) before the index that names it is replaced.
     */
    String save(String tag, SnapshotConfig config, MemorySource memory);

    /**
     * Loads the snapshot a tag or a manifest digest names, running every structural check; with
     * {@code verify} also hashes the memory blob (on the descriptor it returns). The manifest and config are
     * hashed on every load. The caller must close the result.
     */
    LoadedSnapshot load(String ref, boolean verify);

    /**
     * Copies a snapshot held elsewhere into this store and points {@code tag} at it: every blob this store
     * lacks is read from {@code source} and refused ({@link Problem#DIGEST_MISMATCH}) unless its bytes hash to
     * its digest, before it enters the store; then the snapshot is checked as a load would. Returns the manifest
     * digest.
     */
    String receive(String tag, SnapshotInfo info, BlobSource source);

    /** Digests, sizes and validated config of the snapshot a tag or digest names; opens no memory blob. */
    SnapshotInfo inspect(String ref);

    /** The file of a blob ({@code sha256:<hex>}) in this store, whether or not it is there. */
    Path blobFile(String digest);

    /**
     * How many writes through this object ({@link #save}, {@link #receive}, {@link #delete}) have ended, however
     * they ended. A reader that saw the same count before reading the index has seen every change this object
     * made to it; other processes' writes are not counted.
     */
    long writesEnded();

    /** The manifest digest a tag or digest names now. */
    String resolve(String ref);

    /** The snapshots' tags, sorted (what other tools put in the layout is left out: {@link #entries}). */
    List<String> tags();

    /**
     * Every entry of the index, in its order: each snapshot, and each image or index another tool put in the
     * layout, with why it is not a snapshot.
     */
    List<IndexEntry> entries();

    /**
     * Removes a snapshot's tag; returns false if there was none. Its blobs stay until {@link #gc}. A tag of
     * something else ({@link Problem#NOT_A_SNAPSHOT}) is not snapgate's to remove.
     */
    boolean delete(String tag);

    /**
     * Deletes every blob that nothing in the index references (snapshots and other tools' images alike) and that
     * no process maps (a loaded snapshot's memory blob is marked in use while its descriptor is open), and the
     * temp files of writers that died.
     */
    GcReport gc();
}
