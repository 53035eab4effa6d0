package io.snapgate.store;

/** Where {@link SnapshotStore#receive} reads the blobs it lacks from, such as another node. */
@FunctionalInterface
public interface BlobSource {
    /** The bytes of the blob {@code digest} ({@code sha256:<hex>}), {@code size} of them. */
    MemorySource blob(String digest, long size);
}
