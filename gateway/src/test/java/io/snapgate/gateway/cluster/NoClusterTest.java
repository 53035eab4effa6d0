package io.snapgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code --cluster} nothing of Hazelcast starts: no member instance, no clustered Vert.x, no index.
 * (Vert.x's service loader does instantiate vertx-hazelcast's idle cluster manager whenever
 * the jar is on the class path, which loads a few Hazelcast interfaces; it starts nothing.)
 */
class NoClusterTest {
    @TempDir
    Path dir;

    @Test
    void serveWithoutClusterStartsNoHazelcastMember() throws IOException {
        Path log = dir.resolve("node.log");
        try (NodeProcess node = NodeProcess.start("solo", log, List.of("-Xlog:class+load=info"), List.of("serve",
                "--port", "0", "--workers", "1", "--examples", "false", "--store", dir.resolve("store").toString()))) {
            node.awaitListening(Duration.ofSeconds(60));
            assertThat(node.get("/v1/snapshots").statusCode()).isEqualTo(200);
            String loaded = Files.readString(log);
            assertThat(loaded).contains("io.snapgate.gateway.Gateway ")
                    .doesNotContain("com.hazelcast.instance.impl.HazelcastInstanceImpl ")
                    .doesNotContain("io.snapgate.store.cluster.")
                    .doesNotContain("io.snapgate.cluster.ClusteredVertx ");
        }
    }
}
