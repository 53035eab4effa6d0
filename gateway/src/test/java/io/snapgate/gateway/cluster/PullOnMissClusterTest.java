package io.snapgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.CliRun;
import io.snapgate.gateway.testing.LocalRegistry;
import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.gateway.testing.Waits;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two gateways in separate JVMs with empty stores of their own and {@code pullOnMiss} set, beside a real registry
 * (Debian's Distribution registry on 127.0.0.1) holding hello: the node a call reached pulls it, and the other node
 * then serves it from its peer, the registry's access log showing one pull.
 */
class PullOnMissClusterTest {
    private static final String MANIFEST = "/v2/snapshots/manifests/";

    @Test
    void theNodeACallReachesPullsAndItsPeerServesFromItWithoutTheRegistry() throws IOException {
        LocalRegistry.assumeInstalled();
        try (TestCluster cluster = new TestCluster(2, List.of());
                LocalRegistry registry = LocalRegistry.anonymous(Files.createDirectories(
                        cluster.dir().resolve("registry")))) {
            String built = cluster.exampleStore("built").toString();
            CliRun push = CliRun.of(Map.of(), "push", "--store", built, "hello", registry.host() + "/snapshots:hello");
            assertThat(push.status()).as(push.err()).isZero();
            String template = registry.host() + "/snapshots:{tag}";
            NodeProcess n1 = cluster.start(0, cluster.dir().resolve("a"), "--pull-on-miss", template);
            NodeProcess n2 = cluster.start(1, cluster.dir().resolve("b"), "--pull-on-miss", template);
            for (NodeProcess n : List.of(n1, n2)) {
                n.awaitListening(TestCluster.START).awaitMembers(2, Duration.ofSeconds(30));
            }

            assertThat(result(call(n1, "hello", "\"n1\""))).isEqualTo("Hello, n1!");
            assertThat(registry.requests("GET", MANIFEST + "hello")).isEqualTo(1);
            assertThat(n1.metric("snapgate_pulls_on_miss_total{outcome=\"ok\"}")).isEqualTo(1);
            Waits.until("node 2 knows hello from the cluster's index", Duration.ofSeconds(10),
                    () -> n2.get("/v1/snapshots/hello").statusCode() == 200);
            for (int i = 0; i < 3; i++) {
                assertThat(result(call(n2, "hello", "\"n2\""))).isEqualTo("Hello, n2!");
            }
            assertThat(n2.metric("snapgate_pulls_on_miss_started_total")).isZero();
            assertThat(registry.requests("GET", MANIFEST + "hello")).as("the peer asked, not the registry")
                    .isEqualTo(1);

            HttpResponse<String> none = call(n2, "none", "\"x\"");
            assertThat(none.statusCode()).as(none.body()).isEqualTo(404);
            assertThat(new JsonObject(none.body()).getJsonObject("error").getString("message"))
                    .contains("registry " + registry.host() + " has none");
        }
    }

    private static HttpResponse<String> call(NodeProcess n, String ref, String args) {
        return n.post("/v1/snapshots/" + ref + "/functions/greet", "{\"args\": [" + args + "]}");
    }

    private static Object result(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getValue("result");
    }
}
