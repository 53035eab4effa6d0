package io.snapgate.store.oci;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.json.StrictJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json}: one manifest descriptor per tag, the tag in the annotation
 * {@code org.opencontainers.image.ref.name}. Replacing this file is the commit point of every change.
 */
public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests) {
    public static final String FILE = "index.json";

    public ImageIndex {
        manifests = manifests == null ? null : Collections.unmodifiableList(new ArrayList<>(manifests));
    }

    public static ImageIndex empty() {
        return new ImageIndex(MediaTypes.SCHEMA_VERSION, MediaTypes.INDEX, List.of());
    }

    /**
     * Checks the whole index (versions, media types, digests, sizes, one valid tag per entry, no tag twice)
     * and returns its manifests by tag, in index order.
     */
    public Map<String, Descriptor> tagged() {
        if (schemaVersion != MediaTypes.SCHEMA_VERSION) {
            throw new SnapshotFormatException(Problem.SCHEMA_VERSION, FILE + " schemaVersion " + schemaVersion
                    + ", expected " + MediaTypes.SCHEMA_VERSION);
        }
        if (!MediaTypes.INDEX.equals(mediaType)) {
            throw new SnapshotFormatException(Problem.MEDIA_TYPE, FILE + " has media type "
                    + SnapshotFormatException.quote(mediaType) + ", expected " + MediaTypes.INDEX);
        }
        if (manifests == null) {
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, FILE + " has no manifests list");
        }
        Map<String, Descriptor> byTag = new LinkedHashMap<>();
        for (int i = 0; i < manifests.size(); i++) {
            String where = FILE + " manifests[" + i + "]";
            Descriptor d = manifests.get(i);
            if (d == null) {
                throw new SnapshotFormatException(Problem.MALFORMED_JSON, where + " is null");
            }
            d.check(where, MediaTypes.MANIFEST, StrictJson.MAX_DOCUMENT);
            if (d.artifactType() != null && !MediaTypes.SNAPSHOT_CONFIG.equals(d.artifactType())) {
                throw new SnapshotFormatException(Problem.MEDIA_TYPE, where + " has artifactType "
                        + SnapshotFormatException.quote(d.artifactType()) + ", expected " + MediaTypes.SNAPSHOT_CONFIG);
            }
            String tag = d.annotation(MediaTypes.REF_NAME);
            if (tag == null) {
                throw new SnapshotFormatException(Problem.INVALID_TAG, where + " has no " + MediaTypes.REF_NAME
                        + " annotation");
            }
            new Tag(tag);
            if (byTag.put(tag, d) != null) {
                throw new SnapshotFormatException(Problem.DUPLICATE_TAG, FILE + " lists tag "
                        + SnapshotFormatException.quote(tag) + " more than once");
            }
        }
        return byTag;
    }

    /** A new index with {@code tag} pointing at {@code manifest}, replacing its old entry if there was one. */
    public ImageIndex withTag(Tag tag, Descriptor manifest) {
        List<Descriptor> next = new ArrayList<>(without(tag).manifests);
        next.add(new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), MediaTypes.SNAPSHOT_CONFIG,
                Map.of(MediaTypes.REF_NAME, tag.value())));
        return new ImageIndex(schemaVersion, mediaType, next);
    }

    /** A new index without {@code tag}. */
    public ImageIndex without(Tag tag) {
        List<Descriptor> next = new ArrayList<>();
        for (Descriptor d : manifests) {
            if (!tag.value().equals(d.annotation(MediaTypes.REF_NAME))) {
                next.add(d);
            }
        }
        return new ImageIndex(schemaVersion, mediaType, next);
    }
}
