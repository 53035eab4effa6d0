package io.snapgate.store.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes into a layout what other OCI tools put there, by hand: an ordinary container image, a nested image index,
 * index entries of other kinds. Each blob is stored under its digest (through {@link Tamper}), each entry written
 * as such tools write them (no artifactType, a platform).
 */
public final class OtherTools {
    public static final String IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Tamper tamper;

    public OtherTools(Tamper tamper) {
        this.tamper = tamper;
    }

    /** A container image (config and one layer); returns its manifest's descriptor, which no index names yet. */
    public ObjectNode image(String seed) {
        ObjectNode config = JSON.objectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add("sha256:" + "d".repeat(64));
        ObjectNode manifest = JSON.objectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
        manifest.set("config", blob(IMAGE_CONFIG, Tamper.bytes(config)));
        manifest.putArray("layers").add(blob(LAYER, ("layer of " + seed).getBytes(StandardCharsets.UTF_8)));
        manifest.putObject("annotations").put("org.opencontainers.image.title", seed);
        return blob(MANIFEST, Tamper.bytes(manifest));
    }

    /** A nested image index naming {@code manifests}; returns its descriptor. */
    public ObjectNode index(List<ObjectNode> manifests) {
        ObjectNode index = JSON.objectNode().put("schemaVersion", 2).put("mediaType", INDEX);
        ArrayNode entries = index.putArray("manifests");
        manifests.forEach(entries::add);
        return blob(INDEX, Tamper.bytes(index));
    }

    /** Adds {@code descriptor} to index.json as an entry tagged {@code tag} (none when null), for linux/amd64. */
    public void add(ObjectNode descriptor, String tag) {
        ObjectNode entry = descriptor.deepCopy();
        entry.putObject("platform").put("architecture", "amd64").put("os", "linux");
        if (tag != null) {
            entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        }
        tamper.editIndex(i -> ((ArrayNode) i.get("manifests")).add(entry));
    }

    /** Stores {@code content} as a blob; returns its descriptor. */
    public ObjectNode blob(String mediaType, byte[] content) {
        return JSON.objectNode().put("mediaType", mediaType).put("digest", tamper.writeBlob(content))
                .put("size", content.length);
    }

    /** The digests of the blobs a container image made by {@link #image} holds: manifest, config, layer. */
    public List<String> blobsOf(JsonNode manifestDescriptor) {
        JsonNode manifest = Tamper.read(tamper.blob(manifestDescriptor.get("digest").asText()));
        return List.of(manifestDescriptor.get("digest").asText(), manifest.get("config").get("digest").asText(),
                manifest.get("layers").get(0).get("digest").asText());
    }
}
