package io.snapgate.store.config;

import java.util.List;

/**
 * A named, page-aligned range of guest memory and what the guest may do there.
 *
 * @param protection {@link #READ_ONLY}, {@link #READ_WRITE} or {@link #READ_EXECUTE}
 */
public record RegionConfig(String name, long address, long size, String protection) {
    public static final String READ_ONLY = "read-only";
    public static final String READ_WRITE = "read-write";
    public static final String READ_EXECUTE = "read-execute";
    public static final List<String> PROTECTIONS = List.of(READ_ONLY, READ_WRITE, READ_EXECUTE);

    /** The first address past the region (may overflow for a bad region; the validator checks first). */
    public long end() {
        return address + size;
    }
}
