package io.snapgate.store.config;

import java.util.List;

/**
 * Guest memory: its size (the memory blob holds exactly this many bytes) and its regions. A region's guest
 * address is its offset in the blob; gaps between regions are unmapped (the null guard page, the stack guard).
 */
public record MemoryConfig(long size, List<RegionConfig> regions) {
    public MemoryConfig {
        regions = SnapshotConfig.copy(regions);
    }
}
