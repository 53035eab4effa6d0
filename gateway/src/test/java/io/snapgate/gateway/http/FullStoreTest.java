package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.store.testing.SmallFileSystem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway whose store's file system is full: it starts, serves what fits, and refuses the rest with 507. */
class FullStoreTest {
    /** Room for the hello example (2.3 MiB of memory), not for testguest's as well. */
    private static final long FS_BYTES = 3L << 20;

    @TempDir
    Path dir;

    @Test
    void startsWithTheExamplesThatFitAndRefusesAnUploadThatDoesNot() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(dir, FS_BYTES)) {
            try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.STORE, fs.path().resolve("store").toString()))) {
                assertThat(tags(gw)).containsExactly("hello");
                assertThat(result(gw.call("hello", "greet", "full disk"))).isEqualTo("Hello, full disk!");
                assertThat(freeBytes(gw)).as("the gauge an operator alerts on").isBetween(0L, 1L << 20);

                JsonObject refused = error(gw.post("/v1/snapshots?tag=big",
                        Buffer.buffer(ExampleGuests.elf("testguest"))), 507, "INSUFFICIENT_STORAGE");
                assertThat(refused.getString("message")).contains("no room left in", "to keep big", "ENOSPC");

                assertThat(tags(gw)).containsExactly("hello");
                error(gw.call("big", "noop"), 404, "UNKNOWN_SNAPSHOT");
                assertThat(result(gw.call("hello", "greet", "still"))).isEqualTo("Hello, still!");
            }
        }
    }

    private static long freeBytes(TestGateway gw) {
        Matcher m = Pattern.compile("(?m)^snapgate_store_free_bytes (\\S+)$")
                .matcher(gw.get("/metrics").bodyAsString());
        assertThat(m.find()).as("snapgate_store_free_bytes in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    /** The tags of every snapshot the gateway lists. */
    private static List<Object> tags(TestGateway gw) {
        return json(gw.get("/v1/snapshots"), 200).getJsonArray("snapshots").stream()
                .flatMap(s -> ((JsonObject) s).getJsonArray("tags").stream()).toList();
    }
}
