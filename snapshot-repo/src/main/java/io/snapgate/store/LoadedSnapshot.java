package io.snapgate.store;

import io.snapgate.store.config.SnapshotConfig;

/**
 * A snapshot that passed every check: its validated config, its digests (as {@code sha256:<hex>}), and its
 * memory blob, open for the caller to map. Closing it closes the blob.
 *
 * @param manifestDigest the manifest's digest: a stable name for exactly this snapshot
 * @param memoryDigest the memory blob's digest; pass it to {@link SnapshotStore#gc} while the blob is mapped
 */
public record LoadedSnapshot(SnapshotConfig config, String manifestDigest, String memoryDigest, OpenBlob memory)
        implements AutoCloseable {
    @Override
    public void close() {
        memory.close();
    }
}
