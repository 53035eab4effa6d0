package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.memory;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapgate.store.testing.BothLoadModes;
import io.snapgate.store.testing.OtherTools;
import io.snapgate.store.testing.Tamper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layouts the OCI image-layout and image-index specs allow that snapgate does not write itself, made by hand: every
 * optional field absent, annotations and fields snapgate does not know, other tools' images beside the snapshots.
 * Each loads (or is skipped, and kept) while every check that protects a load still holds (LoadRefusalTest).
 */
class SpecLayoutTest {
    private static final String CONTAINER_IMAGE = "an image manifest whose config is " + OtherTools.IMAGE_CONFIG;

    @TempDir
    Path tmp;
    SnapshotStore store;
    Tamper tamper;
    OtherTools others;
    LoadedSnapshot original;

    @BeforeEach
    void save() {
        store = SnapshotStore.open(tmp.resolve("store"));
        store.save("app", config(), memory(1));
        tamper = new Tamper(store.directory());
        others = new OtherTools(tamper);
        original = store.load("app", true);
        original.close();
    }

    /** The snapshot {@code ref} names loads, with the original's config and memory. */
    private void assertLoads(String ref, boolean verify) {
        try (LoadedSnapshot loaded = store.load(ref, verify)) {
            assertThat(loaded.config()).isEqualTo(original.config());
            assertThat(loaded.memoryDigest()).isEqualTo(original.memoryDigest());
        }
    }

    @BothLoadModes
    void anIndexAsSkopeoWritesIt(boolean verify) {
        tamper.editIndex(i -> {
            i.remove("mediaType");
            tamper.entry(i, "app").remove("artifactType");
        });
        assertLoads("app", verify);
        assertThat(store.tags()).containsExactly("app");
        assertThat(store.entries()).containsExactly(new IndexEntry("app", original.manifestDigest(), null));

        store.save("next", config(), memory(2));
        assertThat(tamper.readIndex().has("mediaType")).as("what another tool wrote stays as it was").isFalse();
        assertLoads("app", verify);
        assertThat(store.tags()).containsExactly("app", "next");
    }

    @ParameterizedTest(name = "[{index}] without {0}")
    @ValueSource(strings = {"index mediaType", "entry artifactType", "manifest mediaType", "manifest artifactType",
            "every artifactType", "manifest annotations"})
    void eachOptionalFieldAbsent(String field) {
        switch (field) {
            case "index mediaType" -> tamper.editIndex(i -> i.remove("mediaType"));
            case "entry artifactType" -> tamper.editIndex(i -> tamper.entry(i, "app").remove("artifactType"));
            case "manifest mediaType" -> tamper.editManifest("app", m -> m.remove("mediaType"));
            case "manifest artifactType" -> tamper.editManifest("app", m -> m.remove("artifactType"));
            case "every artifactType" -> {
                tamper.editManifest("app", m -> m.remove("artifactType"));
                tamper.editIndex(i -> tamper.entry(i, "app").remove("artifactType"));
            }
            default -> tamper.editManifest("app", m -> m.remove("annotations"));
        }
        assertLoads("app", true);
        assertThat(store.tags()).containsExactly("app");
    }

    @Test
    void anUntaggedSnapshotIsListedAndLoadedByDigest() {
        tamper.editIndex(i -> tamper.entry(i, "app").remove("annotations"));
        assertThat(store.tags()).isEmpty();
        assertThat(store.entries()).extracting(IndexEntry::name).containsExactly(original.manifestDigest());
        assertLoads(original.manifestDigest(), true);
    }

    @BothLoadModes
    void annotationsAndFieldsSnapgateDoesNotKnow(boolean verify) {
        Tamper.overwrite(store.directory().resolve("oci-layout"),
                "{\"imageLayoutVersion\":\"1.0.0\",\"x-note\":\"kept\"}".getBytes(StandardCharsets.UTF_8));
        String subject = "{\"mediaType\":\"" + OtherTools.MANIFEST + "\",\"digest\":\"sha256:" + "e".repeat(64)
                + "\",\"size\":10}";
        tamper.editManifest("app", m -> {
            ((ObjectNode) m.get("annotations")).put("org.opencontainers.image.source", "https://example.com/app");
            m.set("subject", Tamper.parse(subject));
            ((ObjectNode) m.get("config")).putObject("annotations").put("com.example.config", "yes");
            ((ObjectNode) tamper.layers(m).get(0)).putArray("urls").add("https://example.com/memory");
            ((ObjectNode) tamper.layers(m).get(0)).put("x-future-field", 1);
        });
        tamper.editIndex(i -> {
            i.putObject("annotations").put("org.opencontainers.image.created", "2025-02-01T00:00:00Z");
            i.put("artifactType", "application/vnd.example.collection");
            ObjectNode entry = tamper.entry(i, "app");
            ((ObjectNode) entry.get("annotations")).put("io.containerd.image.name", "example.com/app:1");
            entry.putObject("platform").put("architecture", "amd64").put("os", "linux");
            entry.putArray("urls").add("https://example.com/app");
        });
        assertLoads("app", verify);
    }

    @BothLoadModes
    void aContainerImageBesideTheSnapshotsIsSkippedAndLeftAlone(boolean verify) {
        ObjectNode image = others.image("alpine");
        others.add(image, "alpine");
        JsonNode entry = tamper.entry(tamper.readIndex(), "alpine").deepCopy();

        assertThat(store.tags()).containsExactly("app");
        assertThat(store.entries()).containsExactly(new IndexEntry("app", original.manifestDigest(), null),
                new IndexEntry("alpine", image.get("digest").asText(), CONTAINER_IMAGE));
        assertRefused(() -> store.load("alpine", verify), Problem.NOT_A_SNAPSHOT, "tag \"alpine\"",
                OtherTools.IMAGE_CONFIG);
        assertRefused(() -> store.load(image.get("digest").asText(), verify), Problem.NOT_A_SNAPSHOT,
                CONTAINER_IMAGE);
        assertRefused(() -> store.delete("alpine"), Problem.NOT_A_SNAPSHOT, "leaves it alone");
        assertLoads("app", verify);

        store.save("next", config(), memory(2));
        store.delete("app");
        assertThat(tamper.entry(tamper.readIndex(), "alpine")).as("the entry as the other tool wrote it")
                .isEqualTo(entry);
        store.gc();
        assertThat(blobs()).containsAll(others.blobsOf(image)).doesNotContain(original.memoryDigest());
    }

    @Test
    void savingATagThatNamedAnotherToolsImageReplacesIt() {
        others.add(others.image("alpine"), "alpine");
        store.save("alpine", config(), memory(1));
        assertThat(store.tags()).containsExactly("alpine", "app");
        assertThat(store.entries()).allMatch(IndexEntry::snapshot);
    }

    @Test
    void aNestedIndexAndArtifactsOfOtherTypesAreSkippedAndTheirBlobsKept() {
        ObjectNode first = others.image("first");
        ObjectNode second = others.image("second");
        others.add(others.index(List.of(first, second)), "multi");
        ObjectNode sbom = others.blob(OtherTools.MANIFEST, ("{\"schemaVersion\":2,\"artifactType\":"
                + "\"application/spdx+json\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\","
                + "\"size\":2},\"layers\":[]}").getBytes(StandardCharsets.UTF_8));
        sbom.put("artifactType", "application/spdx+json");
        others.add(sbom, "sbom");

        assertThat(store.entries()).extracting(IndexEntry::notSnapshot).containsExactly(null,
                "media type " + OtherTools.INDEX, "artifactType application/spdx+json");
        assertThat(store.tags()).containsExactly("app");

        store.delete("app");
        GcReport report = store.gc();
        assertThat(report.deletedDigests()).contains(original.manifestDigest(), original.memoryDigest());
        assertThat(blobs()).containsAll(others.blobsOf(first)).containsAll(others.blobsOf(second))
                .contains(sbom.get("digest").asText());
    }

    @Test
    void anEntryDigestedWithAnotherAlgorithmIsSkipped() {
        ObjectNode sha512 = others.image("x").put("digest", "sha512:" + "ab".repeat(64));
        others.add(sha512, "x");
        assertThat(store.entries()).extracting(IndexEntry::notSnapshot)
                .containsExactly(null, "a manifest digested with sha512 (snapgate's are sha256)");
        assertLoads("app", true);
    }

    @Test
    void gcRefusesAnEntryWhoseReferencesItCannotFollowAndDeletesNothing() {
        store.save("app", config(), memory(2)); // the first snapshot's blobs are now garbage
        others.add(others.blob("application/vnd.example.thing", "?".getBytes(StandardCharsets.UTF_8)), "thing");
        Set<String> before = blobs();

        assertThat(store.entries()).extracting(IndexEntry::notSnapshot)
                .containsExactly(null, "media type application/vnd.example.thing");
        assertRefused(() -> store.gc(), Problem.MEDIA_TYPE, "index.json manifests[1]", "deletes nothing");
        assertThat(blobs()).isEqualTo(before);
    }

    private Set<String> blobs() {
        try (Stream<Path> files = Files.list(store.directory().resolve("blobs/sha256"))) {
            return Set.copyOf(files.map(p -> "sha256:" + p.getFileName()).toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
