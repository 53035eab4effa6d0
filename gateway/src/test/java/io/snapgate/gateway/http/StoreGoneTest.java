package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store directory deleted under a running node: what it loaded keeps serving, the rest is 503, health says why. */
class StoreGoneTest {
    @TempDir
    Path dir;

    @Test
    void loadedSnapshotsKeepServingAndTheRestIsStoreUnavailable() {
        Path store = dir.resolve("store");
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.STORE, store.toString(),
                ConfigKey.EXAMPLES, "true"))) {
            assertThat(result(gw.call("hello", "greet", "before"))).isEqualTo("Hello, before!");
            String digest = json(gw.get("/v1/snapshots/hello"), 200).getString("digest");
            assertThat(json(gw.get("/health"), 200).getString("store")).isEqualTo("ok");

            TestGateway.deleteTree(store);

            assertThat(result(gw.call("hello", "greet", "after"))).as("by the tag resolved before")
                    .isEqualTo("Hello, after!");
            assertThat(result(gw.call(digest, "greet", "digest"))).isEqualTo("Hello, digest!");
            JsonObject refused = error(gw.call("testguest", "noop"), 503, "STORE_UNAVAILABLE");
            assertThat(refused.getString("message")).contains(store.toString());
            JsonObject health = json(gw.get("/health"), 200);
            assertThat(health.getBoolean("ready")).isTrue();
            assertThat(health.getString("store")).startsWith("unavailable: ").contains("index.json", "ENOENT");
            assertThat(gw.get("/metrics").bodyAsString()).contains("snapgate_store_up 0.0");
        }
    }
}
