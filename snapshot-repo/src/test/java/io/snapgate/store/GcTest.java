package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.contentOf;
import static io.snapgate.store.testing.Fixtures.image;
import static io.snapgate.store.testing.Fixtures.memory;
import static io.snapgate.store.testing.Fixtures.withGeneration;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.testing.Fixtures;
import io.snapgate.store.testing.Tamper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcTest {
    @TempDir
    Path dir;
    SnapshotStore store;
    Tamper tamper;

    @BeforeEach
    void open() {
        store = SnapshotStore.open(dir);
        tamper = new Tamper(store.directory());
    }

    @Test
    void anUntouchedStoreFreesNothing() {
        store.save("a", config(), memory(1));
        Set<String> before = blobs();

        GcReport report = store.gc();

        assertThat(report.count()).isZero();
        assertThat(report.bytesFreed()).isZero();
        assertThat(blobs()).isEqualTo(before);
    }

    @Test
    void freesExactlyTheBlobsOfAReplacedTag() {
        store.save("a", config(), memory(1));
        Set<String> old = Set.of(tamper.manifestDigest("a"), tamper.configDigest("a"), tamper.memoryDigest("a"));
        store.save("a", withGeneration(config(), 4), memory(2));
        Set<String> current = blobs();
        current.removeAll(old);

        GcReport report = store.gc();

        assertThat(report.deletedDigests()).containsExactlyInAnyOrderElementsOf(old);
        assertThat(report.bytesFreed()).isGreaterThan(Fixtures.MEMORY_SIZE);
        assertThat(blobs()).isEqualTo(current);
        try (LoadedSnapshot loaded = store.load("a", true)) {
            assertThat(contentOf(loaded.memory())).isEqualTo(image(2));
        }
    }

    @Test
    void neverFreesABlobALiveSandboxMaps() {
        store.save("a", config(), memory(1));
        try (LoadedSnapshot mapped = store.load("a", true)) {
            store.save("a", withGeneration(config(), 4), memory(2));

            GcReport report = store.gc();

            assertThat(report.deletedDigests()).doesNotContain(mapped.memoryDigest())
                    .contains(mapped.manifestDigest());
            assertThat(report.inUseDigests()).containsExactly(mapped.memoryDigest());
            assertThat(blobs()).contains(mapped.memoryDigest());
            assertThat(contentOf(mapped.memory())).isEqualTo(image(1));
        }
    }

    @Test
    void blobsSharedWithAnotherTagSurviveItsDeletion() {
        store.save("a", config(), memory(1));
        store.save("b", withGeneration(config(), 4), memory(1));
        store.delete("a");

        GcReport report = store.gc();

        assertThat(report.count()).isEqualTo(2);  // a's manifest and config; the memory is b's too
        try (LoadedSnapshot b = store.load("b", true)) {
            assertThat(contentOf(b.memory())).isEqualTo(image(1));
        }
    }

    @Test
    void removesStaleTempFilesAndLeavesForeignFiles() throws IOException {
        store.save("a", config(), memory(1));
        Path blobs = store.directory().resolve("blobs/sha256");
        Files.write(blobs.resolve(".tmp-deadbeef"), new byte[4096]);
        Files.write(store.directory().resolve(".tmp-0123"), new byte[10]);
        Files.writeString(blobs.resolve("README"), "not a blob");

        GcReport report = store.gc();

        assertThat(report.tempFilesDeleted()).isEqualTo(2);
        assertThat(report.count()).isZero();
        assertThat(report.bytesFreed()).isEqualTo(4106);
        assertThat(blobs.resolve("README")).exists();
        assertThat(blobs.resolve(".tmp-deadbeef")).doesNotExist();
    }

    @Test
    void refusesToCollectWhenATaggedManifestIsUnreadable() throws IOException {
        store.save("a", config(), memory(1));
        store.save("b", withGeneration(config(), 4), memory(2));
        store.save("b", withGeneration(config(), 5), memory(3));
        Files.delete(tamper.blob(tamper.manifestDigest("a")));
        Set<String> before = blobs();

        assertRefused(() -> store.gc(), Problem.MISSING_BLOB, tamper.manifestDigest("a"));
        assertThat(blobs()).isEqualTo(before);
    }

    @Test
    void neverFreesABlobAnotherProcessMaps() throws Exception {
        store.save("a", config(), memory(1));
        String memory;
        try (LoadedSnapshot loaded = store.load("a", false)) {
            memory = loaded.memoryDigest();
        }
        store.delete("a");
        Path blob = store.blobFile(memory);
        // util-linux flock(1) marks the blob in use as a loading process does: a shared flock on an open file
        // (--close: the lock stays with flock itself, not the shell it runs, so that killing flock releases it)
        Process holder = new ProcessBuilder("flock", "--shared", "--close", blob.toString(), "-c",
                "echo held; exec sleep 60").redirectErrorStream(true).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(5))).isEqualTo("held\n");

            GcReport report = store.gc();

            assertThat(report.inUseDigests()).containsExactly(memory);
            assertThat(report.deletedDigests()).hasSize(2).doesNotContain(memory); // the manifest and config
            assertThat(blobs()).contains(memory);
        } finally {
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly().waitFor();
        }
        GcReport freed = store.gc();
        assertThat(freed.deletedDigests()).containsExactly(memory);
        assertThat(freed.inUseDigests()).isEmpty();
    }

    @Test
    void loadsRacingReplacesAndGcsStillSucceed() throws Exception {
        // a reader may read the index, then find the blobs it names deleted by a replace and a gc: it then
        // reads the index again rather than fail
        store.save("a", config(), memory(0));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger loads = new AtomicInteger();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<?> loading = reader.submit(() -> {
                while (running.get()) {
                    store.load("a", false).close();
                    loads.incrementAndGet();
                }
                return null;
            });
            for (int i = 1; i <= 30; i++) {
                store.save("a", withGeneration(config(), i), memory(i % 2));
                store.gc();
            }
            running.set(false);
            loading.get(10, TimeUnit.SECONDS);
        } finally {
            reader.shutdownNow();
        }
        assertThat(loads.get()).isPositive();
    }

    private Set<String> blobs() {
        try (Stream<Path> files = Files.list(store.directory().resolve("blobs/sha256"))) {
            return files.map(p -> "sha256:" + p.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
