package io.snapgate.store.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The config blob: everything needed to resume a snapshot without its ELF (docs/snapshot-format.md, "Config").
 * A plain record parsed strictly (unknown fields refused); {@link ConfigValidator} decides whether it makes
 * sense. Lists may hold nulls here only so that the validator, not the parser, can name the bad field.
 *
 * @param formatVersion this format's version, {@link ConfigValidator#FORMAT_VERSION}
 * @param abiVersion the guest ABI version (docs/abi.md), {@link ConfigValidator#ABI_VERSION}
 * @param arch the guest architecture, {@code "x86_64"}
 * @param createdBy the backend that took the snapshot, such as {@code "emulated"} or {@code "kvm"}; any backend
 *     may resume it
 * @param generation how many snapshots were taken before this one in its line (inherited, then incremented)
 * @param created when the snapshot was taken, ISO-8601 ({@code 2025-01-31T12:00:00Z})
 * @param memory the memory size and regions
 * @param entry where calls enter and the registers they enter with
 * @param functions the guest's functions
 * @param hostFunctions the host functions a sandbox resumed from this snapshot must offer
 * @param codeDigest SHA-256 (64 lowercase hex digits) of the code regions
 */
public record SnapshotConfig(int formatVersion, int abiVersion, String arch, String createdBy, long generation,
        String created, MemoryConfig memory, EntryConfig entry, List<FunctionConfig> functions,
        List<FunctionConfig> hostFunctions, String codeDigest) {

    public SnapshotConfig {
        functions = copy(functions);
        hostFunctions = copy(hostFunctions);
    }

    /** An unmodifiable copy that keeps nulls (for the validator to report), or null. */
    static <T> List<T> copy(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
