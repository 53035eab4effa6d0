package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/cluster/blobs/{digest}} on a cluster node (a cluster of one, in this JVM), with tokens. */
class BlobRoutesTest {
    private static final String TOKEN = "node-token";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.TOKENS, TOKEN, ConfigKey.CLUSTER, "true",
            ConfigKey.CLUSTER_NAME, "blob-routes-" + UUID.randomUUID(), ConfigKey.CLUSTER_PORT, freePort(),
            ConfigKey.CLUSTER_MEMBERS, "127.0.0.1"));

    @Test
    void aBlobIsServedWholeOrFromAnOffsetBehindTheToken() throws Exception {
        String digest = memoryDigest();
        byte[] stored = Files.readAllBytes(memoryBlob());
        error(gw.get("/v1/cluster/blobs/" + digest), 401, "UNAUTHORIZED");

        HttpResponse<Buffer> whole = get(digest).send().await();
        assertThat(whole.statusCode()).isEqualTo(200);
        byte[] body = whole.body().getBytes();
        assertThat(body).hasSize(stored.length);
        assertThat("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                .isEqualTo(digest);

        HttpResponse<Buffer> rest = get(digest).putHeader("Range", "bytes=4096-").send().await();
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.getHeader("Content-Range"))
                .isEqualTo("bytes 4096-" + (stored.length - 1) + "/" + stored.length);
        assertThat(rest.body().getBytes()).isEqualTo(Arrays.copyOfRange(stored, 4096, stored.length));
    }

    @Test
    void refusals() {
        error(get("sha256:" + "0".repeat(64)).send().await(), 404, "NOT_FOUND");
        error(get("sha256:nothex").send().await(), 400, "BAD_REQUEST");
        error(get(memoryDigest()).putHeader("Range", "bytes=0-10").send().await(), 400, "BAD_REQUEST");
        error(get(memoryDigest()).putHeader("Range", "bytes=999999999-").send().await(), 400, "BAD_REQUEST");
        error(get(memoryDigest()).putHeader("Range", "bytes=99999999999999999999-").send().await(), 400,
                "BAD_REQUEST");
    }

    @Test
    void healthShowsTheClusterOfOne() {
        var cluster = gw.get("/health").bodyAsJsonObject().getJsonObject("cluster");
        assertThat(cluster.getInteger("size")).isEqualTo(1);
        assertThat(cluster.getJsonArray("members")).containsExactly(cluster.getString("node"));
    }

    private static HttpRequest<Buffer> get(String digest) {
        return gw.client().get("/v1/cluster/blobs/" + digest).bearerTokenAuthentication(TOKEN);
    }

    /** The memory blob file of the example snapshot hello, from its holder entry. */
    private static Path memoryBlob() {
        JsonArray holders = gw.client().get("/v1/snapshots/hello").bearerTokenAuthentication(TOKEN).send().await()
                .bodyAsJsonObject().getJsonArray("holders");
        return Path.of(holders.getJsonObject(0).getString("path"));
    }

    private static String memoryDigest() {
        return "sha256:" + memoryBlob().getFileName();
    }

    private static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return String.valueOf(socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
