package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.memory;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapgate.store.testing.BothLoadModes;
import io.snapgate.store.testing.Tamper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One damaged or hostile input per test, each refused with its {@link Problem} and a message naming it.
 * Structural checks run in both load modes (parameter {@code verify}).
 */
class LoadRefusalTest {
    @TempDir
    Path tmp;
    SnapshotStore store;
    Tamper tamper;

    @BeforeEach
    void save() {
        store = SnapshotStore.open(tmp.resolve("store"));
        store.save("app", config(), memory(1));
        store.save("other", config(), memory(2));
        tamper = new Tamper(store.directory());
    }

    // --- the store's files -------------------------------------------------------------------------------

    @Test
    void missingDirectory() {
        assertRefused(() -> SnapshotStore.openExisting(tmp.resolve("nowhere")), Problem.MISSING_DIRECTORY, "nowhere");
    }

    @BothLoadModes
    void directoryRemovedAfterOpen(boolean verify) throws IOException {
        deleteTree(store.directory());
        assertRefused(() -> store.load("app", verify), Problem.MISSING_DIRECTORY);
    }

    @Test
    void writesToADirectoryRemovedAfterOpenSayItIsGone() throws IOException {
        deleteTree(store.directory());
        String gone = "store directory " + store.directory() + " does not exist (any more)";
        assertRefused(() -> store.save("other", config(), memory(9)), Problem.MISSING_DIRECTORY, gone);
        assertRefused(() -> store.delete("app"), Problem.MISSING_DIRECTORY, gone);
        assertRefused(() -> store.gc(), Problem.MISSING_DIRECTORY, gone);
        assertThat(store.directory()).doesNotExist();
    }

    @BothLoadModes
    void missingOciLayout(boolean verify) throws IOException {
        Files.delete(store.directory().resolve("oci-layout"));
        assertRefused(() -> store.load("app", verify), Problem.MISSING_LAYOUT_FILE, "oci-layout");
    }

    @BothLoadModes
    void wrongOciLayoutVersion(boolean verify) {
        Tamper.overwrite(store.directory().resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}".getBytes());
        assertRefused(() -> store.load("app", verify), Problem.LAYOUT_VERSION, "2.0.0");
    }

    @BothLoadModes
    void missingIndex(boolean verify) throws IOException {
        Files.delete(tamper.index());
        assertRefused(() -> store.load("app", verify), Problem.MISSING_INDEX, "index.json");
    }

    @Test
    void openExistingRefusesAStoreWithoutIndex() throws IOException {
        Files.delete(tamper.index());
        assertRefused(() -> SnapshotStore.openExisting(store.directory()), Problem.MISSING_INDEX);
    }

    @BothLoadModes
    void indexOverOneMebibyte(boolean verify) {
        byte[] json = Tamper.bytes(tamper.readIndex());
        String padded = new String(json, StandardCharsets.UTF_8) + " ".repeat((1 << 20) + 1 - json.length);
        Tamper.overwrite(tamper.index(), padded.getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> store.load("app", verify), Problem.DOCUMENT_TOO_LARGE, "1048576");
    }

    @BothLoadModes
    void configOverOneMebibyte(boolean verify) {
        tamper.editConfig("app", c -> c.put("createdBy", "x".repeat(1 << 20)));
        assertRefused(() -> store.load("app", verify), Problem.DOCUMENT_TOO_LARGE, "config");
    }

    @BothLoadModes
    void malformedIndex(boolean verify) throws IOException {
        byte[] json = Files.readAllBytes(tamper.index());
        Tamper.overwrite(tamper.index(), java.util.Arrays.copyOf(json, json.length - 2));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_JSON, "index.json");
    }

    @BothLoadModes
    void wrongIndexSchemaVersion(boolean verify) {
        tamper.editIndex(i -> i.put("schemaVersion", 3));
        assertRefused(() -> store.load("app", verify), Problem.SCHEMA_VERSION, "schemaVersion 3");
    }

    @BothLoadModes
    void indexWithoutSchemaVersion(boolean verify) {
        tamper.editIndex(i -> i.remove("schemaVersion"));
        assertRefused(() -> store.load("app", verify), Problem.SCHEMA_VERSION, "schemaVersion null");
    }

    @BothLoadModes
    void indexEntryWithoutMediaType(boolean verify) {
        tamper.editIndex(i -> tamper.entry(i, "other").remove("mediaType"));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_JSON, "manifests[1] has no mediaType");
    }

    @BothLoadModes
    void indexEntryOfTheWrongJsonType(boolean verify) {
        tamper.editIndex(i -> tamper.entry(i, "other").put("size", "554"));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_JSON, "manifests[1].size");
    }

    @Test
    void indexThatIsNotAnObject() {
        Tamper.overwrite(tamper.index(), "[]".getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> store.load("app", false), Problem.MALFORMED_JSON, "index.json is a array");
    }

    @BothLoadModes
    void wrongIndexMediaType(boolean verify) {
        tamper.editIndex(i -> i.put("mediaType", "application/vnd.docker.distribution.manifest.list.v2+json"));
        assertRefused(() -> store.load("app", verify), Problem.MEDIA_TYPE, "docker");
    }

    // --- tags and references -----------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"../x", "a/b", "/etc/passwd", ".hidden", "-dash", "tag with space", "é"})
    void tagThatCouldNameAPath(String tag) {
        assertRefused(() -> store.load(tag, false), Problem.INVALID_TAG, tag);
    }

    @Test
    void emptyReference() {
        assertRefused(() -> store.load("", false), Problem.INVALID_TAG, "empty");
    }

    @Test
    void tagLongerThan128Characters() {
        assertRefused(() -> store.load("a".repeat(129), false), Problem.INVALID_TAG);
    }

    @BothLoadModes
    void unknownTagListsTheTagsThatExist(boolean verify) {
        assertRefused(() -> store.load("App", verify), Problem.UNKNOWN_TAG, "\"App\"", "[app, other]");
    }

    @BothLoadModes
    void duplicateTagInIndexRefusesThatTagOnly(boolean verify) {
        tamper.editIndex(i -> ((ArrayNode) i.get("manifests")).add(tamper.entry(i, "app").deepCopy()));
        assertRefused(() -> store.load("app", verify), Problem.DUPLICATE_TAG, "\"app\"");
        store.load("other", verify).close();
    }

    @BothLoadModes
    void invalidTagInIndexIsThatEntrysProblemOnly(boolean verify) {
        tamper.editIndex(i -> ((ObjectNode) tamper.entry(i, "other").get("annotations"))
                .put("org.opencontainers.image.ref.name", "../../etc"));
        store.load("app", verify).close();
        assertThat(store.tags()).containsExactly("app");
        assertThat(store.entries()).extracting(IndexEntry::name).containsExactly("app", "../../etc");
        assertRefused(() -> store.load("../../etc", verify), Problem.INVALID_TAG, "../../etc");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"sha256:abc", "sha512:0000",
            "SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "sha256: 123", ":"})
    void malformedDigestReference(String ref) {
        assertRefused(() -> store.load(ref, false), Problem.MALFORMED_DIGEST);
    }

    @BothLoadModes
    void malformedDigestInIndex(boolean verify) {
        tamper.editIndex(i -> tamper.entry(i, "app").put("digest", tamper.manifestDigest("app").toUpperCase()));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_DIGEST, "index.json manifests[0]");
    }

    @BothLoadModes
    void malformedDigestInManifest(boolean verify) {
        tamper.editManifest("app", m -> ((ObjectNode) m.get("config")).put("digest",
                "md5:d41d8cd98f00b204e9800998ecf8427e"));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_DIGEST, "md5:");
    }

    @Test
    void digestOfNoBlob() {
        assertRefused(() -> store.load("sha256:" + "0".repeat(64), false), Problem.MISSING_BLOB,
                "neither in index.json");
    }

    // --- blobs -------------------------------------------------------------------------------------------

    @BothLoadModes
    void missingMemoryBlob(boolean verify) throws IOException {
        Files.delete(tamper.blob(tamper.memoryDigest("app")));
        assertRefused(() -> store.load("app", verify), Problem.MISSING_BLOB, "memory blob");
    }

    @BothLoadModes
    void missingManifestBlob(boolean verify) throws IOException {
        Files.delete(tamper.blob(tamper.manifestDigest("app")));
        assertRefused(() -> store.load("app", verify), Problem.MISSING_BLOB, "manifest");
    }

    @Test
    void corruptedByteInMemoryBlobIsCaughtByAVerifiedLoad() throws IOException {
        Path blob = tamper.blob(tamper.memoryDigest("app"));
        byte[] bytes = Files.readAllBytes(blob);
        bytes[12345] ^= 1;
        Tamper.overwrite(blob, bytes);

        assertRefused(() -> store.load("app", true), Problem.DIGEST_MISMATCH, "memory blob",
                tamper.memoryDigest("app"));
        try (LoadedSnapshot unverified = store.load("app", false)) {
            assertThat(unverified.memory().size()).isEqualTo(bytes.length);
        }
    }

    @BothLoadModes
    void corruptedByteInConfigIsAlwaysCaught(boolean verify) throws IOException {
        Path blob = tamper.blob(tamper.configDigest("app"));
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x20;
        Tamper.overwrite(blob, bytes);
        assertRefused(() -> store.load("app", verify), Problem.DIGEST_MISMATCH, "config");
    }

    @BothLoadModes
    void memoryBlobTruncatedByOneByte(boolean verify) throws IOException {
        truncateByOne(tamper.blob(tamper.memoryDigest("app")));
        assertRefused(() -> store.load("app", verify), Problem.SIZE_MISMATCH, "memory blob", "1200127 bytes");
    }

    @BothLoadModes
    void manifestTruncatedByOneByte(boolean verify) throws IOException {
        truncateByOne(tamper.blob(tamper.manifestDigest("app")));
        assertRefused(() -> store.load("app", verify), Problem.SIZE_MISMATCH, "manifest");
    }

    @BothLoadModes
    void wrongSizeInIndexDescriptor(boolean verify) {
        tamper.editIndex(i -> {
            ObjectNode entry = tamper.entry(i, "app");
            entry.put("size", entry.get("size").asLong() + 1);
        });
        assertRefused(() -> store.load("app", verify), Problem.SIZE_MISMATCH, "its descriptor says");
    }

    @BothLoadModes
    void wrongSizeInLayerDescriptor(boolean verify) {
        // config and layer agree on one more page, the file does not
        tamper.editConfig("app", c -> ((ObjectNode) c.get("memory")).put("size", 0x126000));
        tamper.editManifest("app", m -> ((ObjectNode) tamper.layers(m).get(0)).put("size", 0x126000));
        assertRefused(() -> store.load("app", verify), Problem.SIZE_MISMATCH, "memory blob");
    }

    @BothLoadModes
    void layerSizeDisagreesWithConfig(boolean verify) {
        tamper.editManifest("app", m -> ((ObjectNode) tamper.layers(m).get(0)).put("size", 0x124000));
        assertRefused(() -> store.load("app", verify), Problem.MEMORY_SIZE_MISMATCH, "memory.size");
    }

    @ParameterizedTest(name = "size={0}")
    @ValueSource(longs = {-4096, 0, 4097})
    void invalidLayerSizeField(long size) {
        tamper.editManifest("app", m -> ((ObjectNode) tamper.layers(m).get(0)).put("size", size));
        assertRefused(() -> store.load("app", false), Problem.INVALID_SIZE, "layers[0] size");
    }

    @BothLoadModes
    void symlinkedMemoryBlob(boolean verify) throws IOException {
        Path blob = tamper.blob(tamper.memoryDigest("app"));
        Path elsewhere = Files.move(blob, tmp.resolve("elsewhere"));
        Files.createSymbolicLink(blob, elsewhere);
        assertRefused(() -> store.load("app", verify), Problem.SYMLINK, "symbolic link", "memory blob");
    }

    @BothLoadModes
    void symlinkedManifest(boolean verify) throws IOException {
        Path blob = tamper.blob(tamper.manifestDigest("app"));
        Path elsewhere = Files.move(blob, tmp.resolve("elsewhere"));
        Files.createSymbolicLink(blob, elsewhere);
        assertRefused(() -> store.load("app", verify), Problem.SYMLINK, "manifest");
    }

    @BothLoadModes
    void directoryWhereTheMemoryBlobShouldBe(boolean verify) throws IOException {
        Path blob = tamper.blob(tamper.memoryDigest("app"));
        Files.delete(blob);
        Files.createDirectory(blob);
        assertRefused(() -> store.load("app", verify), Problem.NOT_REGULAR_FILE, "directory");
    }

    @BothLoadModes
    void fifoWhereTheMemoryBlobShouldBeDoesNotHang(boolean verify) throws Exception {
        Path blob = tamper.blob(tamper.memoryDigest("app"));
        Files.delete(blob);
        Process mkfifo = new ProcessBuilder("mkfifo", blob.toString()).start();
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo is available");
        assertRefused(() -> store.load("app", verify), Problem.NOT_REGULAR_FILE, "fifo");
    }

    @Test
    void blobChangedAfterLoadIsCaughtByRecheck() throws IOException {
        try (LoadedSnapshot loaded = store.load("app", true)) {
            Path blob = tamper.blob(loaded.memoryDigest());
            byte[] bytes = Files.readAllBytes(blob);
            Tamper.overwrite(blob, java.util.Arrays.copyOf(bytes, bytes.length - 4096));
            assertRefused(loaded.memory()::recheck, Problem.BLOB_CHANGED, "bytes");
        }
    }

    // --- manifests ---------------------------------------------------------------------------------------

    @BothLoadModes
    void twoLayers(boolean verify) {
        tamper.editManifest("app", m -> tamper.layers(m).add(tamper.layers(m).get(0).deepCopy()));
        assertRefused(() -> store.load("app", verify), Problem.LAYER_COUNT, "2 layers");
    }

    @BothLoadModes
    void noLayer(boolean verify) {
        tamper.editManifest("app", m -> tamper.layers(m).removeAll());
        assertRefused(() -> store.load("app", verify), Problem.LAYER_COUNT, "0 layers");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"layer", "config", "manifest", "artifactType", "indexEntry"})
    void unknownMediaType(String where) {
        String foreign = "application/vnd.example.unknown+json";
        switch (where) {
            case "layer" -> tamper.editManifest("app",
                    m -> ((ObjectNode) tamper.layers(m).get(0)).put("mediaType", foreign));
            case "config" -> tamper.editManifest("app", m -> ((ObjectNode) m.get("config")).put("mediaType", foreign));
            case "manifest" -> tamper.editManifest("app", m -> m.put("mediaType", foreign));
            case "artifactType" -> tamper.editManifest("app", m -> m.put("artifactType", foreign));
            default -> tamper.editIndex(i -> tamper.entry(i, "app").put("mediaType", foreign));
        }
        assertRefused(() -> store.load("app", false), Problem.MEDIA_TYPE, foreign);
    }

    @BothLoadModes
    void wrongManifestSchemaVersion(boolean verify) {
        tamper.editManifest("app", m -> m.put("schemaVersion", 1));
        assertRefused(() -> store.load("app", verify), Problem.SCHEMA_VERSION, "schemaVersion 1");
    }

    @BothLoadModes
    void manifestOfAnotherKindUnderAnEntryThatSaysSnapshot(boolean verify) {
        tamper.editManifest("app", m -> {
            m.remove("artifactType");
            ((ObjectNode) m.get("config")).put("mediaType", "application/vnd.oci.image.config.v1+json");
        });
        assertRefused(() -> store.load("app", verify), Problem.MEDIA_TYPE, "config",
                "application/vnd.oci.image.config.v1+json");
    }

    @BothLoadModes
    void manifestWithAFieldOfTheWrongJsonType(boolean verify) {
        tamper.editManifest("app", m -> m.put("annotations", "x"));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_JSON, "annotations");
    }

    // --- configs -----------------------------------------------------------------------------------------

    @BothLoadModes
    void unknownConfigField(boolean verify) {
        tamper.editConfig("app", c -> ((ObjectNode) c.get("entry")).put("rip", 0x100000));
        assertRefused(() -> store.load("app", verify), Problem.UNKNOWN_FIELD, "\"rip\"", "entry");
    }

    @BothLoadModes
    void missingConfigField(boolean verify) {
        tamper.editConfig("app", c -> c.remove("generation"));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_JSON, "generation");
    }

    @BothLoadModes
    void configFieldOfTheWrongType(boolean verify) {
        tamper.editConfig("app", c -> c.put("generation", "3"));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_JSON, "generation");
    }

    @BothLoadModes
    void duplicateKeyInConfig(boolean verify) {
        byte[] json = Tamper.bytes(Tamper.read(tamper.blob(tamper.configDigest("app"))));
        String twice = new String(json, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"generation\":0,");
        String digest = tamper.writeBlob(twice.getBytes(StandardCharsets.UTF_8));
        tamper.editManifest("app", m -> ((ObjectNode) m.get("config")).put("digest", digest)
                .put("size", twice.length()));
        assertRefused(() -> store.load("app", verify), Problem.MALFORMED_JSON, "generation");
    }

    @BothLoadModes
    void overlappingRegions(boolean verify) {
        tamper.editConfig("app", c -> region(c, 5).put("size", 0x12000));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_REGIONS, "\"stack\"", "overlaps region \"heap\"");
    }

    @BothLoadModes
    void regionOutsideTheMemory(boolean verify) {
        tamper.editConfig("app", c -> region(c, 8).put("size", 0x5000));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_REGIONS, "output", "outside the memory size");
    }

    @BothLoadModes
    void regionOnThePageZeroGuard(boolean verify) {
        tamper.editConfig("app", c -> region(c, 0).put("address", 0));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_REGIONS, "null guard");
    }

    @BothLoadModes
    void dispatchOutsideCode(boolean verify) {
        tamper.editConfig("app", c -> ((ObjectNode) c.get("entry")).put("dispatchAddress", 0x104000));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_ENTRY, "entry.dispatchAddress", "0x104000");
    }

    @BothLoadModes
    void misalignedStackTop(boolean verify) {
        tamper.editConfig("app", c -> ((ObjectNode) c.get("entry")).put("stackTop", 0x11d000 - 8));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_ENTRY, "entry.stackTop", "16-byte");
    }

    @BothLoadModes
    void badTypeName(boolean verify) {
        tamper.editConfig("app", c -> ((ArrayNode) c.get("functions").get(1).get("parameters")).set(0, "int"));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_FUNCTIONS, "functions[1] (Add).parameters[0]",
                "\"int\"");
    }

    @BothLoadModes
    void abiVersionMismatch(boolean verify) {
        tamper.editConfig("app", c -> c.put("abiVersion", 2));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_VERSION, "abiVersion");
    }

    @BothLoadModes
    void archMismatch(boolean verify) {
        tamper.editConfig("app", c -> c.put("arch", "aarch64"));
        assertRefused(() -> store.load("app", verify), Problem.CONFIG_VERSION, "aarch64");
    }

    private static ObjectNode region(ObjectNode config, int index) {
        return (ObjectNode) config.get("memory").get("regions").get(index);
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static void truncateByOne(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Tamper.overwrite(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
