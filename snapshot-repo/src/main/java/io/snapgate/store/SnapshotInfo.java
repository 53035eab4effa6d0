package io.snapgate.store;

import io.snapgate.store.config.SnapshotConfig;

/**
 * What a snapshot is made of, without opening its memory: the three blobs by digest ({@code sha256:<hex>}) and
 * size, and its validated config (functions, memory layout, creation time). Enough to check calls, to describe
 * it, and to copy its blobs into another store ({@link SnapshotStore#receive}).
 */
public record SnapshotInfo(String manifestDigest, long manifestSize, String configDigest, long configSize,
        String memoryDigest, long memorySize, SnapshotConfig config) {
}
