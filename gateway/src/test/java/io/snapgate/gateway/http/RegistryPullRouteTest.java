package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.CliRun;
import io.snapgate.gateway.testing.LocalRegistry;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.store.SnapshotStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/snapshots?tag=NAME&from=REGISTRY/REPO:REF}: a snapshot pulled from a registry, then served. */
class RegistryPullRouteTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotPulledFromARegistryServesCalls() throws IOException {
        LocalRegistry.assumeInstalled();
        String built = dir.resolve("built").toString();
        assertThat(CliRun.of(Map.of(), "ls", "--store", built, "--examples", "true").status()).isZero();
        String digest = SnapshotStore.openExisting(Path.of(built)).resolve("hello");
        try (LocalRegistry registry = LocalRegistry.anonymous(Files.createDirectories(dir.resolve("registry")));
                TestGateway gw = TestGateway.start()) {
            String ref = registry.host() + "/snapshots/hello:v1";
            assertThat(CliRun.of(Map.of(), "push", "--store", built, "hello", ref).status()).isZero();

            var response = gw.post("/v1/snapshots?tag=pulled&from=" + encode(ref), Buffer.buffer());
            JsonObject pulled = json(response, 201);
            assertThat(response.getHeader("Location")).isEqualTo("/v1/snapshots/pulled");
            assertThat(pulled.getString("digest")).isEqualTo(digest);
            assertThat(pulled.getJsonArray("tags")).containsExactly("pulled");
            assertThat(result(gw.call("pulled", "greet", "registry"))).isEqualTo("Hello, registry!");

            error(gw.post("/v1/snapshots?tag=x&from=" + encode(registry.host() + "/snapshots/none:v1"),
                    Buffer.buffer()), 502, "REGISTRY_ERROR");
            error(gw.post("/v1/snapshots?tag=x&from=" + encode("no-registry:v1"), Buffer.buffer()), 400,
                    "BAD_REQUEST");
            error(gw.post("/v1/snapshots?tag=x&from=" + encode(ref), Buffer.buffer(ExampleGuests.elf("hello"))),
                    400, "BAD_REQUEST");
            error(gw.get("/v1/snapshots/x"), 404, "UNKNOWN_SNAPSHOT");
        }
    }

    @Test
    void sizesOrAScriptsContentTypeWithFromAreRefusedNamingThem() {
        try (TestGateway gw = TestGateway.start()) { // refused before any registry is asked: none listens here
            String pull = "/v1/snapshots?tag=x&from=" + encode("127.0.0.1:9/snapshots/hello:v1");
            assertThat(error(gw.post(pull + "&heap=1MiB&output=64KiB", Buffer.buffer()), 400, "BAD_REQUEST")
                    .getString("message")).isEqualTo("heap, output cannot be combined with from: a pulled snapshot"
                            + " keeps the sizes it was built with");
            var script = gw.client().post(pull).putHeader("Content-Type", "application/javascript")
                    .sendBuffer(Buffer.buffer()).await();
            assertThat(error(script, 400, "BAD_REQUEST").getString("message")).isEqualTo("Content-Type"
                    + " application/javascript cannot be combined with from: a pull takes no script, the snapshot"
                    + " comes built");
            error(gw.get("/v1/snapshots/x"), 404, "UNKNOWN_SNAPSHOT");
        }
    }

    private static String encode(String ref) {
        return URLEncoder.encode(ref, StandardCharsets.UTF_8);
    }
}
