package io.snapgate.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.cli.Cli;
import io.snapgate.gateway.testing.CliRun;
import io.snapgate.gateway.testing.LocalRegistry;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.testing.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapgate push} and {@code snapgate pull} against a real registry (Debian's Distribution registry on
 * 127.0.0.1), anonymous: a snapshot pushed, pulled into an empty store and called; copied by skopeo; and a blob
 * tampered with in the registry refused with nothing stored.
 */
class RegistryTest {
    @TempDir
    Path dir;
    LocalRegistry registry;
    String hello;

    @BeforeEach
    void start() throws IOException {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.anonymous(Files.createDirectories(dir.resolve("registry")));
        CliRun examples = snapgate("ls", "--store", store("built"), "--examples", "true");
        assertThat(examples.status()).as(examples.err()).isZero();
        hello = SnapshotStore.openExisting(Path.of(store("built"))).resolve("hello");
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private String store(String name) {
        return dir.resolve(name).toString();
    }

    private static CliRun snapgate(String... args) {
        return CliRun.of(Map.of(), args);
    }

    private CliRun push(String to) {
        return snapgate("push", "--store", store("built"), "hello", registry.host() + "/" + to);
    }

    @Test
    void pushedThenPulledIntoAnEmptyStoreItServesCalls() {
        CliRun push = push("snapshots/hello:v1");
        assertThat(push.status()).as(push.err()).isZero();
        assertThat(push.out()).isEqualTo("pushed hello to " + registry.host() + "/snapshots/hello:v1 as " + hello
                + "\n");
        assertThat(push("snapshots/hello:again").status()).as("the blobs are there already").isZero();

        CliRun pull = snapgate("pull", "--store", store("pulled"), registry.host() + "/snapshots/hello:v1", "--tag",
                "greeter");
        assertThat(pull.status()).as(pull.err()).isZero();
        assertThat(pull.out()).startsWith("pulled " + registry.host() + "/snapshots/hello:v1 as greeter: " + hello)
                .endsWith(", verified\n");
        CliRun call = snapgate("call", "--store", store("pulled"), "greeter", "greet", "registry");
        assertThat(call.status()).as(call.err()).isZero();
        assertThat(call.out().strip()).isEqualTo("\"Hello, registry!\"");
        assertThat(snapgate("verify", "--store", store("pulled")).out()).contains("1 of 1 snapshots verified");

        CliRun byDigest = snapgate("pull", "--store", store("pulled"), registry.host() + "/snapshots/hello@" + hello,
                "--tag", "pinned");
        assertThat(byDigest.status()).as(byDigest.err()).isZero();
        assertThat(SnapshotStore.openExisting(Path.of(store("pulled"))).tags()).containsExactly("greeter", "pinned");
    }

    @Test
    void aSnapshotPushedBySnapgateAndCopiedBySkopeoLoads() {
        Skopeo.assumeInstalled();
        assertThat(push("snapshots/hello:v1").status()).isZero();
        Skopeo.copyFromRegistry(registry.host() + "/snapshots/hello:v1", dir.resolve("copy"), "hello");
        CliRun call = snapgate("call", "--store", store("copy"), "hello", "greet", "skopeo");
        assertThat(call.status()).as(call.err()).isZero();
        assertThat(call.out().strip()).isEqualTo("\"Hello, skopeo!\"");
    }

    @Test
    void aBlobTamperedWithInTheRegistryIsRefusedAndNothingIsStored() throws IOException {
        assertThat(push("snapshots/hello:v1").status()).isZero();
        SnapshotInfo info = SnapshotStore.openExisting(Path.of(store("built"))).inspect("hello");
        registry.tamper(info.memoryDigest());

        CliRun pull = snapgate("pull", "--store", store("pulled"), registry.host() + "/snapshots/hello:v1", "--tag",
                "hello");
        assertThat(pull.status()).isEqualTo(Cli.FAILED);
        assertThat(pull.err()).contains("pull of " + registry.host() + "/snapshots/hello:v1 refused, nothing stored",
                "digest mismatch", info.memoryDigest()).doesNotContain("\tat ");
        SnapshotStore pulled = SnapshotStore.openExisting(Path.of(store("pulled")));
        assertThat(pulled.tags()).isEmpty();
        try (Stream<Path> blobs = Files.list(pulled.directory().resolve("blobs/sha256"))) {
            assertThat(blobs).isEmpty();
        }
    }

    @Test
    void badReferencesAndAnUnknownTagSayWhatIsWrong() {
        CliRun noRegistry = snapgate("pull", "--store", store("pulled"), "hello:v1", "--tag", "x");
        assertThat(noRegistry.status()).isEqualTo(Cli.FAILED);
        assertThat(noRegistry.err()).contains("name the registry first");
        CliRun unknown = snapgate("pull", "--store", store("pulled"), registry.host() + "/snapshots/none:v1",
                "--tag", "x");
        assertThat(unknown.status()).isEqualTo(Cli.FAILED);
        assertThat(unknown.err()).contains("answered 404", "MANIFEST_UNKNOWN");
    }
}
