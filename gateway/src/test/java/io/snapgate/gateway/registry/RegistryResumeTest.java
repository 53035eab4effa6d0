package io.snapgate.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.CliRun;
import io.snapgate.gateway.testing.FlakyProxy;
import io.snapgate.gateway.testing.LocalRegistry;
import io.snapgate.store.LoadedSnapshot;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers that break, through a proxy that breaks one as a failing network would: a pull whose memory download
 * is cut resumes with a Range request, and a push whose chunk is dropped resumes from what the registry holds.
 */
class RegistryResumeTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    LocalRegistry registry;
    FlakyProxy proxy;
    SnapshotStore built;
    SnapshotInfo hello;

    @BeforeEach
    void start() throws IOException {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.anonymous(Files.createDirectories(dir.resolve("registry")));
        proxy = FlakyProxy.start(registry.host());
        CliRun examples = CliRun.of(Map.of(), "ls", "--store", dir.resolve("built").toString(), "--examples", "true");
        assertThat(examples.status()).as(examples.err()).isZero();
        built = SnapshotStore.openExisting(dir.resolve("built"));
        hello = built.inspect("hello");
        assertThat(hello.memorySize()).as("the fixture spans chunks").isGreaterThan(2 * MIB);
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static RegistryCredentials anonymous() {
        return new RegistryCredentials(Optional.empty());
    }

    @Test
    void aPullWhoseDownloadIsCutResumesWhereItBroke() {
        new RegistryPush(anonymous()).push(built, "hello", RegistryRef.parse(registry.host() + "/snap/hello:v1"));
        String memory = "GET /v2/snap/hello/blobs/" + hello.memoryDigest();
        proxy.cutResponse(memory::equals, MIB + 123);

        SnapshotStore pulled = SnapshotStore.open(dir.resolve("pulled"));
        SnapshotInfo info = new RegistryPull(anonymous()).pull(pulled, RegistryRef.parse(proxy.host()
                + "/snap/hello:v1"), "hello");

        assertThat(info).isEqualTo(hello);
        assertThat(proxy.requests()).contains(memory).anyMatch(r -> r.startsWith(memory + " Range: bytes=")
                && Long.parseLong(r.substring(r.indexOf('=') + 1, r.length() - 1)) > MIB);
        try (LoadedSnapshot loaded = pulled.load("hello", true)) {
            assertThat(loaded.manifestDigest()).isEqualTo(hello.manifestDigest());
        }
    }

    @Test
    void aPushInChunksWhoseChunkIsDroppedResumesFromWhatTheRegistryHolds() {
        AtomicInteger patches = new AtomicInteger();
        proxy.dropRequest(line -> line.startsWith("PATCH") && patches.incrementAndGet() == 2, 4096);

        String digest = new RegistryPush(anonymous(), MIB).push(built, "hello", RegistryRef.parse(proxy.host()
                + "/snap/hello:v1"));

        assertThat(digest).isEqualTo(hello.manifestDigest());
        String second = "Content-Range: " + MIB + "-" + (2 * MIB - 1);
        assertThat(proxy.requests()).filteredOn(r -> r.startsWith("PATCH")).extracting(r -> r.substring(
                r.indexOf("Content-Range"))).containsExactly("Content-Range: 0-" + (MIB - 1), second, second,
                "Content-Range: " + 2 * MIB + "-" + (hello.memorySize() - 1));
        assertThat(proxy.requests()).anyMatch(r -> r.startsWith("GET /v2/snap/hello/blobs/uploads/"));
        SnapshotStore pulled = SnapshotStore.open(dir.resolve("pulled"));
        assertThat(new RegistryPull(anonymous()).pull(pulled, RegistryRef.parse(registry.host() + "/snap/hello:v1"),
                "hello")).isEqualTo(hello);
    }
}
