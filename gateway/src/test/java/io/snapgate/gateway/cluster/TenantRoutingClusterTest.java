package io.snapgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.gateway.testing.Waits;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two gateways in separate JVMs whose token lists differ in order: node A ({@code alpha,beta}) holds no snapshot
 * and may neither map nor copy another node's, so it sends calls and session requests to node B
 * ({@code beta,alpha}; one worker, two waiting places). Token beta floods B through A, and its next call straight
 * to B is refused as B's {@code token#1} (A's {@code token#2}): what a tenant sends through another node counts
 * against it on the node that runs it, stateless calls and session calls alike, under the receiving node's name
 * for that token. Without this, calls arriving from A counted under their snapshot, and beta held three places.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantRoutingClusterTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final String REFUSED = "the node is busy and token#1 has 2 calls running or queued, against its"
            + " share of 2 of the node's 3 places among 1 callers; retry later";

    private TestCluster cluster;
    private NodeProcess a;
    private NodeProcess b;

    @BeforeAll
    void startCluster() {
        cluster = new TestCluster(2, List.of());
        a = cluster.start(0, cluster.dir().resolve("a"), "--cluster-share-files", "false", "--cluster-copies",
                "false", "--tokens", "alpha,beta");
        b = cluster.start(1, cluster.exampleStore("b"), "--max-queue", "2", "--warm-at-start", "0", "--tokens",
                "beta,alpha");
        for (NodeProcess n : List.of(a, b)) {
            n.awaitListening(TestCluster.START).awaitMembers(2, Duration.ofSeconds(30));
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void statelessCallsRoutedToAnotherNodeCountAgainstTheirToken() {
        Waits.until("node A knows testguest from the cluster's index", Duration.ofSeconds(10),
                () -> send(a, "beta", "GET", "/v1/snapshots/testguest", null).join().statusCode() == 200);
        List<CompletableFuture<HttpResponse<String>>> flood = List.of(spin(a, "snapshots/testguest"),
                spin(a, "snapshots/testguest"));
        try {
            assertRefusedOnB();
            assertThat(call(b, "alpha", "snapshots/hello", "greet", "\"alpha\"").join().statusCode())
                    .as("another token still finds room on B").isEqualTo(200);
            flood.forEach(f -> assertThat(f.join().statusCode()).as(f.join().body()).isEqualTo(200));
        } finally {
            settle(flood);
        }
        assertThat(a.metric("snapgate_calls_remote_total{outcome=\"ok\"}")).as("A sent them to B").isEqualTo(2);
    }

    @Test
    void sessionCallsForwardedToTheSessionsNodeCountAgainstTheirTokenAndKeepTheirOrder() {
        HttpResponse<String> opened = send(b, "beta", "POST", "/v1/sessions", "{\"snapshot\": \"testguest\"}").join();
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        String id = new JsonObject(opened.body()).getString("id");
        List<CompletableFuture<HttpResponse<String>>> flood = List.of(spin(a, "sessions/" + id),
                spin(a, "sessions/" + id));
        try {
            assertRefusedOnB();
            HttpResponse<String> closed = send(a, "beta", "DELETE", "/v1/sessions/" + id, null).join();
            assertThat(closed.statusCode()).as("closed through A, after the calls sent before").isEqualTo(204);
            flood.forEach(f -> assertThat(f.join().statusCode()).as(f.join().body()).isEqualTo(200));
        } finally {
            settle(flood);
        }
    }

    /**
     * Waits until the flood's calls are answered (each times out after 30 s), however the test went: a call still
     * running on B would hold its places in the next test.
     */
    private static void settle(List<CompletableFuture<HttpResponse<String>>> flood) {
        CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).handle((v, t) -> null).join();
    }

    /** B has beta's two calls from A; beta's third, sent to B itself, is refused naming B's name for beta. */
    private void assertRefusedOnB() {
        Waits.until("B runs or queues two calls", Duration.ofSeconds(10),
                () -> b.metric("snapgate_calls_in_flight") >= 2);
        HttpResponse<String> refused = call(b, "beta", "snapshots/testguest", "spin_for_ms", "1").join();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("message")).isEqualTo(REFUSED);
    }

    /** Token beta's call of two seconds, through {@code node}, of a snapshot or in a session ({@code target}). */
    private static CompletableFuture<HttpResponse<String>> spin(NodeProcess node, String target) {
        return call(node, "beta", target, "spin_for_ms", "2000");
    }

    private static CompletableFuture<HttpResponse<String>> call(NodeProcess node, String token, String target,
            String function, String args) {
        return send(node, token, "POST", "/v1/" + target + "/functions/" + function, "{\"args\": [" + args + "]}");
    }

    private static CompletableFuture<HttpResponse<String>> send(NodeProcess node, String token, String method,
            String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url(path)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).exceptionally(t -> {
            throw new UncheckedIOException(new IOException(method + " " + path + " to " + node, t));
        });
    }
}
