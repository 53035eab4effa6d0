package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
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
        save(store, "a-first", LayoutSizes.DEFAULT); // the warm-up at start describes the first tag: loads it
        // An image no other test makes (builds are deterministic, and the open-blob set is the whole JVM's).
        String cold = save(store, "z-never-called", new LayoutSizes((1 << 20) + 7 * 4096, 128 << 10, 64 << 10,
                64 << 10));

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

    /** Builds the example guest hello with {@code sizes}, saves it as {@code tag}; returns its memory digest. */
    private static String save(SnapshotStore store, String tag, LayoutSizes sizes) {
        try (Sandbox sandbox = Sandbox.builder(ExampleGuests.elf("hello")).hostFunctions(GatewayHostFunctions.all())
                .config(SandboxConfig.DEFAULT.withSizes(sizes)).build()) {
            sandbox.currentSnapshot().save(store, tag);
        }
        return store.inspect(tag).memoryDigest();
    }
}
