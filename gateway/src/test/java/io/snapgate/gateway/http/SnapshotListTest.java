package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
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
        // An image other than the first's (builds are deterministic: the same image would share its blob).
        String cold = save(store, "z-never-called", new LayoutSizes((1 << 20) + 7 * 4096, 128 << 10, 64 << 10,
                64 << 10));

        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.STORE, store.directory().toString()))) {
            var listed = json(gw.get("/v1/snapshots"), 200).getJsonArray("snapshots");
            assertThat(listed.stream().map(s -> ((JsonObject) s).getJsonArray("tags").getString(0)))
                    .containsExactly("a-first", "z-never-called");
            JsonObject never = listed.getJsonObject(1);
            assertThat(never.getLong("memoryBytes")).isPositive();
            assertThat(never.getJsonArray("functions")).isNotEmpty();
            assertThat(openHere(store.blobFile(cold))).as("listed, never loaded").isFalse();
            assertThat(openHere(store.blobFile(store.inspect("a-first").memoryDigest()))).as("loaded").isTrue();
        }
    }

    /** Whether this process has the file open (a loaded snapshot keeps its memory blob open). */
    private static boolean openHere(Path file) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            Path real = file.toRealPath();
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) { // a descriptor closed meanwhile
                    return false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
