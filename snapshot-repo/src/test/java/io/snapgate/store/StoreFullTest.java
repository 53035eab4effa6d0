package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.contentOf;
import static io.snapgate.store.testing.Fixtures.image;
import static io.snapgate.store.testing.Fixtures.memory;
import static io.snapgate.store.testing.Fixtures.withGeneration;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.fs.AtomicFiles;
import io.snapgate.store.testing.SmallFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store on a real file system that fills up: a save that does not fit is refused and loses nothing. */
class StoreFullTest {
    /** Room for one fixture snapshot (1.2 MB of memory) and its small files, not for a second memory blob. */
    private static final long FS_BYTES = 2L << 20;

    @TempDir
    Path dir;
    SmallFileSystem fs;
    SnapshotStore store;

    @BeforeEach
    void mount() throws Exception {
        fs = SmallFileSystem.mount(dir, FS_BYTES);
        store = SnapshotStore.open(fs.path().resolve("store"));
    }

    @AfterEach
    void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
    }

    @Test
    void aSaveThatDoesNotFitIsRefusedAndTheStoreStaysAsItWas() throws IOException {
        String a = store.save("a", config(), memory(1));
        Set<String> blobsBefore = blobs();

        assertRefused(() -> store.save("b", withGeneration(config(), 4), memory(2)), Problem.STORE_FULL,
                "no room left in " + store.directory(), "to keep b", "ENOSPC");

        assertThat(store.tags()).containsExactly("a");
        assertThat(store.resolve("a")).isEqualTo(a);
        assertThat(blobs()).as("no temp file and no partial blob left behind").isEqualTo(blobsBefore);
        try (LoadedSnapshot loaded = store.load("a", true)) {
            assertThat(contentOf(loaded.memory())).isEqualTo(image(1));
        }
    }

    @Test
    void oncePlaceIsFreedTheSameSaveSucceeds() {
        store.save("a", config(), memory(1));
        assertRefused(() -> store.save("b", withGeneration(config(), 4), memory(2)), Problem.STORE_FULL, "to keep b");

        assertThat(store.delete("a")).isTrue();
        GcReport freed = store.gc();
        String b = store.save("b", withGeneration(config(), 4), memory(2));

        assertThat(freed.count()).isEqualTo(3);
        assertThat(store.tags()).containsExactly("b");
        try (LoadedSnapshot loaded = store.load(b, true)) {
            assertThat(contentOf(loaded.memory())).isEqualTo(image(2));
        }
    }

    /** Every file in blobs/sha256, temp files included. */
    private Set<String> blobs() throws IOException {
        try (Stream<Path> files = Files.list(store.directory().resolve("blobs/sha256"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).noneMatch(name -> AtomicFiles.isTemp(Path.of(name)));
            return Set.copyOf(names);
        }
    }
}
