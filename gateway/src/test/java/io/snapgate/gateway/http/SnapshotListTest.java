package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.sandbox.Sandbox;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing a store describes every snapshot in it without loading (mapping and holding) any of them. */
class SnapshotListTest {
    @TempDir
    Path dir;

    @Test
    void theListingNamesEverySnapshotAndMapsNone() {
        SnapshotStore store = SnapshotStore.open(dir.resolve("store"));
        save(store, "a-first", "hello"); // the warm-up at start describes the first tag, and so loads it
        String cold = save(store, "z-never-called", "testguest");

        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.STORE, store.directory().toString()))) {
            var listed = json(gw.get("/v1/snapshots"), 200).getJsonArray("snapshots");
            assertThat(listed.stream().map(s -> ((JsonObject) s).getJsonArray("tags").getString(0)))
                    .containsExactly("a-first", "z-never-called");
            JsonObject never = listed.getJsonObject(1);
            assertThat(never.getLong("memoryBytes")).isPositive();
            assertThat(never.getJsonArray("functions")).isNotEmpty();
            assertThat(MemoryFile.openBlobDigests()).as("listed, never loaded").doesNotContain(cold);
        }
    }

    /** Builds the example guest {@code guest} and saves it as {@code tag}; returns its memory blob's digest. */
    private static String save(SnapshotStore store, String tag, String guest) {
        try (Sandbox sandbox = Sandbox.builder(ExampleGuests.elf(guest)).hostFunctions(GatewayHostFunctions.all())
                .build()) {
            sandbox.currentSnapshot().save(store, tag);
        }
        return store.inspect(tag).memoryDigest();
    }
}
