package io.snapgate.store;

/**
 * Why the store refused a snapshot or a store directory. Each value's {@link #description()} starts the
 * message of the {@link SnapshotFormatException} that carries it; docs/snapshot-format.md lists them all.
 */
public enum Problem {
    MISSING_DIRECTORY("missing store directory"),
    NOT_A_STORE("not a snapshot store"),
    MISSING_LAYOUT_FILE("missing oci-layout"),
    MISSING_INDEX("missing index.json"),
    MISSING_BLOB("missing blob"),
    SYMLINK("symbolic link refused"),
    NOT_REGULAR_FILE("not a regular file"),
    DOCUMENT_TOO_LARGE("JSON document too large"),
    MALFORMED_JSON("malformed JSON"),
    UNKNOWN_FIELD("unknown field"),
    LAYOUT_VERSION("wrong oci-layout version"),
    SCHEMA_VERSION("wrong schema version"),
    MEDIA_TYPE("wrong media type"),
    INVALID_TAG("invalid tag"),
    UNKNOWN_TAG("unknown tag"),
    /** The reference names something another tool put in the layout (an image, an index), which snapgate skips. */
    NOT_A_SNAPSHOT("not a snapgate snapshot"),
    DUPLICATE_TAG("duplicate tag"),
    MALFORMED_DIGEST("malformed digest"),
    LAYER_COUNT("wrong layer count"),
    INVALID_SIZE("invalid size field"),
    SIZE_MISMATCH("size mismatch"),
    DIGEST_MISMATCH("digest mismatch"),
    CONFIG_VERSION("incompatible snapshot version"),
    CONFIG_FIELD("invalid config field"),
    CONFIG_MEMORY("invalid memory size"),
    CONFIG_REGIONS("invalid memory regions"),
    CONFIG_ENTRY("invalid entry state"),
    CONFIG_FUNCTIONS("invalid function table"),
    MEMORY_SIZE_MISMATCH("memory size mismatch"),
    BLOB_CHANGED("blob changed on disk"),
    IO_ERROR("I/O error"),
    /** The store's file system ran out of room (ENOSPC, EDQUOT) during a write; nothing the index names changed. */
    STORE_FULL("snapshot store full");

    private final String description;

    Problem(String description) {
        this.description = description;
    }

    /**
     * Whether the store itself is not where it was (its directory, oci-layout or index missing, or the directory
     * no longer a store), so that nothing in it can be read, rather than one snapshot being damaged.
     */
    public boolean storeGone() {
        return this == MISSING_DIRECTORY || this == NOT_A_STORE || this == MISSING_LAYOUT_FILE || this == MISSING_INDEX;
    }

    /** A few words naming the problem, such as "digest mismatch". */
    public String description() {
        return description;
    }
}
