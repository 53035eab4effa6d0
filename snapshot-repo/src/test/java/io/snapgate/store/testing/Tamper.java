package io.snapgate.store.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapgate.store.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Damages a store on purpose, the way a bug, a crash or an attacker might: edits index.json in place, or
 * writes an edited manifest or config as a new, correctly hashed blob and points the chain above it at the
 * new blob, so that the one thing a test wants to break is the only thing wrong.
 */
public final class Tamper {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public Tamper(Path dir) {
        this.dir = dir;
    }

    public Path index() {
        return dir.resolve("index.json");
    }

    public Path blob(String digest) {
        return dir.resolve("blobs/sha256").resolve(digest.substring(Digest.PREFIX.length()));
    }

    public ObjectNode readIndex() {
        return (ObjectNode) read(index());
    }

    public void writeIndex(JsonNode index) {
        overwrite(index(), bytes(index));
    }

    /** The index entry for {@code tag}. */
    public ObjectNode entry(ObjectNode index, String tag) {
        for (JsonNode d : index.get("manifests")) {
            if (tag.equals(d.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                return (ObjectNode) d;
            }
        }
        throw new IllegalArgumentException("no tag " + tag);
    }

    public void editIndex(Consumer<ObjectNode> edit) {
        ObjectNode index = readIndex();
        edit.accept(index);
        writeIndex(index);
    }

    public String manifestDigest(String tag) {
        return entry(readIndex(), tag).get("digest").asText();
    }

    public ObjectNode manifest(String tag) {
        return (ObjectNode) read(blob(manifestDigest(tag)));
    }

    public String memoryDigest(String tag) {
        return manifest(tag).get("layers").get(0).get("digest").asText();
    }

    public String configDigest(String tag) {
        return manifest(tag).get("config").get("digest").asText();
    }

    /** Writes {@code edit(manifest)} as a new blob and points the tag at it. */
    public void editManifest(String tag, Consumer<ObjectNode> edit) {
        ObjectNode manifest = manifest(tag);
        edit.accept(manifest);
        replaceManifest(tag, bytes(manifest));
    }

    /** Writes {@code json} as a new manifest blob and points the tag at it. */
    public void replaceManifest(String tag, byte[] json) {
        String digest = writeBlob(json);
        editIndex(index -> entry(index, tag).put("digest", digest).put("size", json.length));
    }

    /** Writes {@code edit(config)} as a new blob and a new manifest pointing at it. */
    public void editConfig(String tag, Consumer<ObjectNode> edit) {
        ObjectNode config = (ObjectNode) read(blob(configDigest(tag)));
        edit.accept(config);
        replaceConfig(tag, bytes(config));
    }

    /** Writes {@code json} as a new config blob and a new manifest pointing at it. */
    public void replaceConfig(String tag, byte[] json) {
        String digest = writeBlob(json);
        editManifest(tag, m -> ((ObjectNode) m.get("config")).put("digest", digest).put("size", json.length));
    }

    public ArrayNode layers(ObjectNode manifest) {
        return (ArrayNode) manifest.get("layers");
    }

    /** Stores {@code content} under its digest; returns the digest. */
    public String writeBlob(byte[] content) {
        String digest = Digest.of(content).toString();
        overwrite(blob(digest), content);
        return digest;
    }

    /** Replaces a file's content in place (same inode), making it writable for the write; a new file gets 0444. */
    public static void overwrite(Path file, byte[] content) {
        try {
            Set<PosixFilePermission> mode = Files.exists(file) ? Files.getPosixFilePermissions(file)
                    : PosixFilePermissions.fromString("r--r--r--");
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.write(file, content);
            Files.setPosixFilePermissions(file, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
