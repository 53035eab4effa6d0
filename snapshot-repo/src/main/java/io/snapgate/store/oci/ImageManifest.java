package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.json.StrictJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An image manifest. A snapshot's has a config of the snapshot config media type (and, when it names one, that
 * {@code artifactType}) and exactly one layer, the raw memory image. Read as the spec allows: {@code mediaType}
 * and {@code artifactType} may be missing, unknown fields ({@code subject}...) are ignored; another tool's
 * manifest reads too, to tell that it is not a snapshot or to find what it references.
 */
public record ImageManifest(int schemaVersion, String mediaType, String artifactType, Descriptor config,
        List<Descriptor> layers, Map<String, String> annotations) {
    /** Guest memory images are page-aligned. */
    public static final long PAGE_SIZE = 4096;

    public ImageManifest {
        layers = layers == null ? null : Collections.unmodifiableList(new ArrayList<>(layers));
    }

    public static ImageManifest of(Descriptor config, Descriptor memory, String created) {
        return new ImageManifest(MediaTypes.SCHEMA_VERSION, MediaTypes.MANIFEST, MediaTypes.SNAPSHOT_CONFIG, config,
                List.of(memory), Map.of(MediaTypes.CREATED, created));
    }

    /** Whether this manifest says it is a snapgate snapshot: by its artifactType, or else its config's type. */
    public boolean saysSnapshot() {
        return MediaTypes.SNAPSHOT_CONFIG.equals(artifactType)
                || config != null && MediaTypes.SNAPSHOT_CONFIG.equals(config.mediaType());
    }

    /** What this manifest is, for a message saying it is not a snapshot. */
    public String kind() {
        return artifactType != null ? "a manifest of artifactType " + artifactType
                : config == null ? "a manifest without a config" : "an image manifest whose config is "
                + config.mediaType();
    }

    /**
     * Checks a snapshot's manifest: versions, media types, the config descriptor and the one layer; {@code where}
     * names the blob.
     */
    public void check(String where) {
        if (schemaVersion != MediaTypes.SCHEMA_VERSION) {
            throw new SnapshotFormatException(Problem.SCHEMA_VERSION, where + " schemaVersion " + schemaVersion
                    + ", expected " + MediaTypes.SCHEMA_VERSION);
        }
        expectIfPresent(where + " mediaType", mediaType, MediaTypes.MANIFEST);
        expectIfPresent(where + " artifactType", artifactType, MediaTypes.SNAPSHOT_CONFIG);
        if (config == null) {
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, where + " has no config descriptor");
        }
        config.check(where + " config", MediaTypes.SNAPSHOT_CONFIG, StrictJson.MAX_DOCUMENT);
        if (layers == null || layers.size() != 1) {
            throw new SnapshotFormatException(Problem.LAYER_COUNT, where + " has "
                    + (layers == null ? "no" : String.valueOf(layers.size()))
                    + " layers, expected exactly 1 (the memory image)");
        }
        Descriptor memory = memory();
        if (memory == null) {
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, where + " layers[0] is null");
        }
        memory.check(where + " layers[0]", MediaTypes.SNAPSHOT_MEMORY, Long.MAX_VALUE);
        if (memory.size() % PAGE_SIZE != 0) {
            throw new SnapshotFormatException(Problem.INVALID_SIZE, where + " layers[0] size " + memory.size()
                    + " is not a multiple of the page size " + PAGE_SIZE);
        }
    }

    /** The memory layer's descriptor. */
    public Descriptor memory() {
        return layers.get(0);
    }

    /** The spec makes the field optional; when it is there, it must say what this manifest is. */
    private static void expectIfPresent(String field, String actual, String expected) {
        if (actual != null && !expected.equals(actual)) {
            throw new SnapshotFormatException(Problem.MEDIA_TYPE, field + " is " + SnapshotFormatException.quote(actual)
                    + ", expected " + expected + " or none");
        }
    }
}
