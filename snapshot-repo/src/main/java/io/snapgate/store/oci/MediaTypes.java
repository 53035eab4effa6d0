package io.snapgate.store.oci;

/**
 * The media types, annotations and versions of the snapshot format (docs/snapshot-format.md). Pinned by
 * {@code FormatTripwireTest}: changing one makes every stored snapshot unreadable.
 */
public final class MediaTypes {
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** The config blob, and the manifest's {@code artifactType}. */
    public static final String SNAPSHOT_CONFIG = "application/vnd.snapgate.snapshot.config.v1+json";
    /** The one layer: the raw guest memory image, mapped as is. */
    public static final String SNAPSHOT_MEMORY = "application/vnd.snapgate.snapshot.memory.v1";

    /** {@code oci-layout}'s {@code imageLayoutVersion}. */
    public static final String LAYOUT_VERSION = "1.0.0";
    /** {@code schemaVersion} of the index and the manifest. */
    public static final int SCHEMA_VERSION = 2;

    /** The index annotation holding a manifest's tag. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The manifest annotation holding the creation time (ISO-8601). */
    public static final String CREATED = "org.opencontainers.image.created";

    private MediaTypes() {
    }
}
