package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.contentOf;
import static io.snapgate.store.testing.Fixtures.image;
import static io.snapgate.store.testing.Fixtures.memory;
import static io.snapgate.store.testing.Fixtures.withGeneration;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.testing.OtherTools;
import io.snapgate.store.testing.Skopeo;
import io.snapgate.store.testing.Tamper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts written by skopeo, the standard tool people move OCI images with: snapgate reads them and writes beside. */
class SkopeoLayoutTest {
    @TempDir
    Path tmp;
    SnapshotStore store;

    @BeforeEach
    void save() {
        Skopeo.assumeInstalled();
        store = SnapshotStore.open(tmp.resolve("store"));
        store.save("app", config(), memory(1));
        store.save("other", withGeneration(config(), 8), memory(2));
    }

    @Test
    void snapshotsCopiedBySkopeoLoadVerified() {
        Path copy = tmp.resolve("copy");
        Skopeo.copy(store.directory(), "app", copy, "app");
        Skopeo.copy(store.directory(), "other", copy, "renamed");

        SnapshotStore copied = SnapshotStore.openExisting(copy);
        assertThat(copied.tags()).containsExactly("app", "renamed");
        assertThat(copied.entries()).allMatch(IndexEntry::snapshot);
        try (LoadedSnapshot app = copied.load("app", true); LoadedSnapshot renamed = copied.load("renamed", true)) {
            assertThat(app.manifestDigest()).isEqualTo(store.resolve("app"));
            assertThat(app.config()).isEqualTo(config());
            assertThat(contentOf(app.memory())).isEqualTo(image(1));
            assertThat(renamed.config()).isEqualTo(withGeneration(config(), 8));
            assertThat(contentOf(renamed.memory())).isEqualTo(image(2));
        }
        copied.save("saved-here", config(), memory(3));
        copied.delete("app");
        assertThat(copied.gc().count()).as("app's manifest and memory; its config is saved-here's too").isEqualTo(2);
        assertThat(copied.tags()).containsExactly("renamed", "saved-here");
    }

    @Test
    void whatSkopeoWritesIntoASnapgateStoreLoadsAndItsImagesAreSkipped() {
        SnapshotStore images = SnapshotStore.open(tmp.resolve("images"));
        OtherTools others = new OtherTools(new Tamper(images.directory()));
        others.add(others.image("alpine"), "alpine");

        Skopeo.copy(images.directory(), "alpine", store.directory(), "alpine");
        Skopeo.copy(store.directory(), "app", store.directory(), "app-again");
        Tamper tamper = new Tamper(store.directory());
        List<String> alpine = new OtherTools(tamper).blobsOf(tamper.entry(tamper.readIndex(), "alpine"));

        assertThat(store.tags()).containsExactly("app", "app-again", "other");
        assertThat(store.entries()).filteredOn(e -> !e.snapshot()).extracting(IndexEntry::name)
                .containsExactly("alpine");
        assertRefused(() -> store.load("alpine", false), Problem.NOT_A_SNAPSHOT, "tag \"alpine\"");
        store.load("app-again", true).close();

        store.delete("app");
        store.delete("app-again");
        assertThat(store.gc().count()).as("app's manifest, config and memory").isEqualTo(3);
        for (String blob : alpine) { // skopeo compressed the layer: the copy is another image than the original
            assertThat(store.blobFile(blob)).as("alpine's blob %s", blob).exists();
        }
        assertThat(Files.exists(store.blobFile(store.resolve("other")))).isTrue();
    }
}
