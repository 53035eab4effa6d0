package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.contentOf;
import static io.snapgate.store.testing.Fixtures.image;
import static io.snapgate.store.testing.Fixtures.memory;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.store.config.SnapshotConfig;
import io.snapgate.store.fs.Posix;
import io.snapgate.store.testing.Fixtures;
import io.snapgate.store.testing.BothLoadModes;
import io.snapgate.store.testing.Tamper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    @TempDir
    Path dir;
    SnapshotStore store;

    @BeforeEach
    void open() {
        store = SnapshotStore.open(dir.resolve("store"));
    }

    @Test
    void savingAgainRepairsADamagedManifestAndConfig() throws IOException {
        String digest = store.save("v1", config(), memory(1));
        List<Path> small;
        try (var blobs = Files.list(store.directory().resolve("blobs/sha256"))) {
            small = blobs.filter(p -> p.toFile().length() < Fixtures.MEMORY_SIZE).toList();
        }
        assertThat(small).hasSize(2);
        for (Path blob : small) {
            byte[] bytes = Files.readAllBytes(blob);
            bytes[bytes.length / 2] ^= 1; // same size, other content
            Tamper.overwrite(blob, bytes);
        }
        assertThatThrownBy(() -> store.load("v1", false)).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("digest mismatch");

        assertThat(store.save("v1", config(), memory(1))).isEqualTo(digest);
        try (LoadedSnapshot loaded = store.load("v1", true)) {
            assertThat(loaded.config()).isEqualTo(config());
        }
    }

    @BothLoadModes
    void roundTripByTagAndByDigest(boolean verify) {
        String digest = store.save("v1", config(), memory(1));

        for (String ref : List.of("v1", digest)) {
            try (LoadedSnapshot loaded = store.load(ref, verify)) {
                assertThat(loaded.config()).isEqualTo(config());
                assertThat(loaded.manifestDigest()).isEqualTo(digest);
                assertThat(loaded.memory().size()).isEqualTo(Fixtures.MEMORY_SIZE);
                assertThat(contentOf(loaded.memory())).isEqualTo(image(1));
                loaded.memory().recheck();
            }
        }
    }

    @Test
    void createsAnOciLayoutWithReadOnlyContentAddressedBlobs() throws IOException {
        String digest = store.save("v1", config(), memory(1));
        Path root = store.directory();
        Tamper tamper = new Tamper(root);

        assertThat(Files.readString(root.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(tamper.manifestDigest("v1")).isEqualTo(digest);
        for (String blob : List.of(digest, tamper.configDigest("v1"), tamper.memoryDigest("v1"))) {
            assertThat(Files.getPosixFilePermissions(tamper.blob(blob)))
                    .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
        }
        assertThat(Files.size(tamper.blob(tamper.memoryDigest("v1")))).isEqualTo(Fixtures.MEMORY_SIZE);
        assertThat(tamper.manifest("v1").get("artifactType").asText())
                .isEqualTo("application/vnd.snapgate.snapshot.config.v1+json");
        assertThat(blobFiles()).hasSize(3);
    }

    @Test
    void savingATagAgainReplacesIt() {
        String first = store.save("app", config(), memory(1));
        String second = store.save("app", Fixtures.withGeneration(config(), 4), memory(2));

        assertThat(second).isNotEqualTo(first);
        assertThat(store.tags()).containsExactly("app");
        assertThat(store.resolve("app")).isEqualTo(second);
        try (LoadedSnapshot loaded = store.load("app", true)) {
            assertThat(loaded.config().generation()).isEqualTo(4);
            assertThat(contentOf(loaded.memory())).isEqualTo(image(2));
        }
        try (LoadedSnapshot old = store.load(first, true)) {
            assertThat(contentOf(old.memory())).isEqualTo(image(1));
        }
    }

    @Test
    void identicalBlobsAreStoredOnce() throws IOException {
        String a = store.save("a", config(), memory(7));
        String b = store.save("b", config(), memory(7));
        store.save("c", Fixtures.withGeneration(config(), 9), memory(7));

        assertThat(a).isEqualTo(b);
        // one memory image; configs for generations 3 and 9; their two manifests
        assertThat(blobFiles()).hasSize(5);
        assertThat(store.tags()).containsExactly("a", "b", "c");
    }

    @Test
    void savingLeavesNoTempFiles() throws IOException {
        store.save("a", config(), memory(1));
        try (Stream<Path> all = Files.walk(store.directory())) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
        }
    }

    @Test
    void deleteRemovesOnlyTheTag() {
        store.save("a", config(), memory(1));
        store.save("b", config(), memory(2));

        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(store.tags()).containsExactly("b");
    }

    @Test
    void tagsAreCaseSensitive() {
        store.save("App", config(), memory(1));
        store.save("app", config(), memory(2));
        assertThat(store.tags()).containsExactly("App", "app");
        assertThat(store.resolve("App")).isNotEqualTo(store.resolve("app"));
    }

    @Test
    void reopeningFindsTheSnapshots() {
        String digest = store.save("a", config(), memory(1));
        SnapshotStore again = SnapshotStore.openExisting(dir.resolve("store"));
        assertThat(again.resolve("a")).isEqualTo(digest);
        assertThat(again.directory()).isEqualTo(store.directory());
    }

    @Test
    void openLaysOutAnEmptyDirectory() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(SnapshotStore.open(empty).tags()).isEmpty();
        assertThat(empty.resolve("index.json")).isRegularFile();
        assertThat(empty.resolve("blobs/sha256")).isDirectory();
    }

    @Test
    void openRefusesADirectoryHoldingSomethingElse() throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");

        assertRefused(() -> SnapshotStore.open(other), Problem.NOT_A_STORE, "notes.txt");
        assertThat(other.resolve("index.json")).doesNotExist();
    }

    @Test
    void anotherToolsLayoutOpensWithItsImageSkipped() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("foreign/blobs/sha256")).getParent().getParent();
        Files.writeString(foreign.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(foreign.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.docker.distribution.manifest.v2+json\",\"digest\":\"sha256:"
                + "a".repeat(64) + "\",\"size\":7}]}");

        SnapshotStore other = SnapshotStore.open(foreign);
        assertThat(other.tags()).isEmpty();
        assertThat(other.entries()).containsExactly(new IndexEntry(null, "sha256:" + "a".repeat(64),
                "media type application/vnd.docker.distribution.manifest.v2+json"));
        assertRefused(() -> other.load("sha256:" + "a".repeat(64), false), Problem.NOT_A_SNAPSHOT);
    }

    @Test
    void saveRefusesAnInvalidConfigBeforeWritingAnything() throws IOException {
        SnapshotConfig bad = Fixtures.withGeneration(config(), -1);
        assertRefused(() -> store.save("a", bad, memory(1)), Problem.CONFIG_FIELD, "generation");
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void saveRefusesMemoryOfAnotherSize() {
        MemorySource short1 = MemorySource.of(ByteBuffer.allocate((int) Fixtures.MEMORY_SIZE - 4096));
        assertRefused(() -> store.save("a", config(), short1), Problem.MEMORY_SIZE_MISMATCH, "memory.size");
    }

    @Test
    void saveRefusesASourceThatWritesLessThanItsSize() throws IOException {
        MemorySource liar = new MemorySource() {
            @Override
            public long size() {
                return Fixtures.MEMORY_SIZE;
            }

            @Override
            public void writeTo(java.nio.channels.WritableByteChannel out) throws IOException {
                out.write(ByteBuffer.allocate(4096));
            }
        };
        assertRefused(() -> store.save("a", config(), liar), Problem.MEMORY_SIZE_MISMATCH, "wrote 4096 bytes");
        assertThat(blobFiles()).isEmpty();
        assertThat(store.tags()).isEmpty();
    }

    @Test
    void saveRefusesASourceThatWritesMoreThanItsSize() throws IOException {
        MemorySource liar = new MemorySource() {
            @Override
            public long size() {
                return 4096;
            }

            @Override
            public void writeTo(java.nio.channels.WritableByteChannel out) throws IOException {
                out.write(ByteBuffer.allocate(8192));
            }
        };
        SnapshotConfig small = Fixtures.config();
        assertRefused(() -> store.save("a", small, liar), Problem.MEMORY_SIZE_MISMATCH);
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void saveRefusesABadTag() {
        assertRefused(() -> store.save("../escape", config(), memory(1)), Problem.INVALID_TAG, "../escape");
    }

    @Test
    void theBlobCanBeDetachedAndClosedByTheCaller() {
        store.save("a", config(), memory(1));
        LoadedSnapshot loaded = store.load("a", false);
        int fd = loaded.memory().detach();
        loaded.close();
        assertThat(Posix.fstat(fd).size()).isEqualTo(Fixtures.MEMORY_SIZE);
        Posix.close(fd);
    }

    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> files = Files.list(store.directory().resolve("blobs/sha256"))) {
            return files.toList();
        }
    }
}
