package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.json.StrictJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A snapshot's manifest: {@code artifactType} and config of the snapshot config media type, and exactly one
 * layer, the raw memory image.
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

    /** Checks versions, media types, the config descriptor and the one layer; {@code where} names the blob. */
    public void check(String where) {
        if (schemaVersion != MediaTypes.SCHEMA_VERSION) {
            throw new SnapshotFormatException(Problem.SCHEMA_VERSION, where + " schemaVersion " + schemaVersion
                    + ", expected " + MediaTypes.SCHEMA_VERSION);
        }
        expect(where + " mediaType", mediaType, MediaTypes.MANIFEST);
        expect(where + " artifactType", artifactType, MediaTypes.SNAPSHOT_CONFIG);
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

    private static void expect(String field, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new SnapshotFormatException(Problem.MEDIA_TYPE, field + " is " + SnapshotFormatException.quote(actual)
                    + ", expected " + expected);
        }
    }
}
