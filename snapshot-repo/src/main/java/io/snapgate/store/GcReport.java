package io.snapgate.store;

import java.util.List;

/**
 * What {@link SnapshotStore#gc} freed.
 *
 * @param deletedDigests the blobs deleted ({@code sha256:<hex>}), sorted
 * @param inUseDigests the blobs no tag references that were kept because a process maps them, sorted
 * @param bytesFreed their bytes plus those of the stale temp files
 * @param tempFilesDeleted temp files left by writers that died
 */
public record GcReport(List<String> deletedDigests, List<String> inUseDigests, long bytesFreed, int tempFilesDeleted) {
    public GcReport {
        deletedDigests = List.copyOf(deletedDigests);
        inUseDigests = List.copyOf(inUseDigests);
    }

    /** How many blobs were deleted. */
    public int count() {
        return deletedDigests.size();
    }
}
