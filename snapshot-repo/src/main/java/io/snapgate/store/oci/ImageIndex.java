package io.snapgate.store.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.json.StrictJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An image index: {@code index.json}, or an index another tool nested in the layout. Read as the OCI image-index
 * spec allows: {@code mediaType} may be missing, unknown fields are ignored, and the entries may be anything
 * (other tools' images, nested indexes, untagged manifests), not only snapgate snapshots. The document is kept as
 * read, so that a rewrite changes only the entries snapgate writes and keeps what other tools put there.
 * Replacing {@code index.json} is the commit point of every change.
 */
public final class ImageIndex {
    public static final String FILE = "index.json";

    private final ObjectNode document;
    private final List<Descriptor> manifests;

    /** The fields snapgate reads; any others stay in the document untouched. */
    private record Fields(Integer schemaVersion, String mediaType, List<Descriptor> manifests) {
    }

    private ImageIndex(ObjectNode document, List<Descriptor> manifests) {
        this.document = document;
        this.manifests = Collections.unmodifiableList(manifests);
    }

    public static ImageIndex empty() {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("schemaVersion", MediaTypes.SCHEMA_VERSION)
                .put("mediaType", MediaTypes.INDEX);
        document.putArray("manifests");
        return new ImageIndex(document, List.of());
    }

    /**
     * Parses {@code json} and checks what the spec requires of an index: {@code schemaVersion} 2, a
     * {@code mediaType} (when there is one) of an image index, and a list of descriptors, each with a media type
     * and a digest of the spec's form. {@code what} names the document in messages.
     */
    public static ImageIndex parse(byte[] json, String what) {
        JsonNode tree = StrictJson.readTree(json, what);
        if (!tree.isObject()) {
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, what + " is a " + tree.getNodeType()
                    .name().toLowerCase() + ", expected a JSON object");
        }
        Fields fields = StrictJson.readExtensible(tree, Fields.class, what);
        if (fields.schemaVersion() == null || fields.schemaVersion() != MediaTypes.SCHEMA_VERSION) {
            throw new SnapshotFormatException(Problem.SCHEMA_VERSION, what + " schemaVersion "
                    + fields.schemaVersion() + ", expected " + MediaTypes.SCHEMA_VERSION);
        }
        if (fields.mediaType() != null && !MediaTypes.INDEX.equals(fields.mediaType())) {
            throw new SnapshotFormatException(Problem.MEDIA_TYPE, what + " has media type "
                    + SnapshotFormatException.quote(fields.mediaType()) + ", expected " + MediaTypes.INDEX
                    + " or none");
        }
        if (fields.manifests() == null) {
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, what + " has no manifests list");
        }
        for (int i = 0; i < fields.manifests().size(); i++) {
            Descriptor d = fields.manifests().get(i);
            String where = what + " manifests[" + i + "]";
            if (d == null || d.mediaType() == null) {
                throw new SnapshotFormatException(Problem.MALFORMED_JSON, where + (d == null ? " is null"
                        : " has no mediaType"));
            }
            Digest.checkOci(d.digest(), where + " digest");
        }
        return new ImageIndex((ObjectNode) tree, new ArrayList<>(fields.manifests()));
    }

    /** The entries, in index order. */
    public List<Descriptor> manifests() {
        return manifests;
    }

    /** How messages name entry {@code i} of {@code index.json}. */
    public static String where(int i) {
        return FILE + " manifests[" + i + "]";
    }

    /**
     * A new index with {@code tag} naming {@code manifest}, a snapgate snapshot: every entry the tag named before
     * (a snapshot or not) is replaced, as a tag names one thing.
     */
    public ImageIndex withTag(Tag tag, Descriptor manifest) {
        ImageIndex without = without(d -> tag.value().equals(d.refName()));
        Descriptor entry = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(),
                MediaTypes.SNAPSHOT_CONFIG, Map.of(MediaTypes.REF_NAME, tag.value()));
        ((ArrayNode) without.document.get("manifests")).add(StrictJson.toTree(entry));
        List<Descriptor> next = new ArrayList<>(without.manifests);
        next.add(entry);
        return new ImageIndex(without.document, next);
    }

    /** A new index without the entries {@code remove} picks; the others stay exactly as they were. */
    public ImageIndex without(Predicate<Descriptor> remove) {
        ObjectNode next = document.deepCopy();
        ArrayNode entries = next.putArray("manifests");
        List<Descriptor> kept = new ArrayList<>();
        JsonNode old = document.get("manifests");
        for (int i = 0; i < manifests.size(); i++) {
            if (!remove.test(manifests.get(i))) {
                entries.add(old.get(i).deepCopy());
                kept.add(manifests.get(i));
            }
        }
        return new ImageIndex(next, kept);
    }

    /** The document: as read, with only snapgate's own changes. */
    public byte[] toJson() {
        return StrictJson.write(document);
    }
}
