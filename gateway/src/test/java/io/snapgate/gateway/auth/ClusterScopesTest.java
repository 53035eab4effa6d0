package io.snapgate.gateway.auth;

import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.wire.Authorization;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.Responses;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster node's own session address ({@code snapgate.node.<id>.session}, where other nodes forward a session's
 * requests with their token) is reachable by any cluster member: it asks for the deploy scope to save, as the front
 * addresses do. The node-to-node blob route asks for the deploy scope too.
 */
class ClusterScopesTest {
    private static final String DEPLOYER = "cluster-deployer";
    private static final String CALLER = "cluster-caller";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(TestGateway.clusterOfOne("scopes",
            Map.of(ConfigKey.TOKENS, DEPLOYER, ConfigKey.CALL_TOKENS, CALLER)));

    @Test
    void theNodesOwnSessionAddressSavesOnlyWithADeployToken() {
        String address = "snapgate.node." + gw.gateway().node().orElseThrow() + ".session";
        String id = request(address, Messages.open("hello"), null).timeout(ANSWER_S, SECONDS).await().getString("id");
        for (String token : new String[] {null, CALLER}) {
            Throwable refused = request(address, Messages.save(id, "node-saved"), token)
                    .transform(ar -> Future.succeededFuture(ar.cause())).timeout(ANSWER_S, SECONDS).await();
            assertThat(refused).isInstanceOf(ReplyException.class);
            assertThat(((ReplyException) refused).failureCode()).isEqualTo(403);
            assertThat(new JsonObject(refused.getMessage()).getString("scope")).isEqualTo("deploy");
        }
        assertThat(request(address, Messages.save(id, "node-saved"), DEPLOYER).timeout(ANSWER_S, SECONDS).await()
                .getJsonArray("tags"))
                .containsExactly("node-saved");
        request(address, Messages.close(id), null).timeout(ANSWER_S, SECONDS).await();
    }

    @Test
    void aSnapshotsBlobsNeedTheDeployScope() {
        String digest = gw.client().get("/v1/snapshots/hello").bearerTokenAuthentication(CALLER).send().await()
                .bodyAsJsonObject().getString("digest"); // a blob of the store: the manifest
        HttpResponse<Buffer> refused = blob(CALLER, digest);
        JsonObject error = Responses.error(refused, 403, "FORBIDDEN");
        assertThat(error.getString("scope")).isEqualTo("deploy");
        assertThat(error.getString("message")).isEqualTo("GET /v1/cluster/blobs/" + digest
                + " reads a snapshot's raw blobs and needs a token with the deploy scope; this one has the call"
                + " scope only");
        HttpResponse<Buffer> served = blob(DEPLOYER, digest);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(served.body()).getJsonObject("config")).as("the manifest").isNotNull();
    }

    private static HttpResponse<Buffer> blob(String token, String digest) {
        return gw.client().get("/v1/cluster/blobs/" + digest).bearerTokenAuthentication(token).send().await();
    }

    private static Future<JsonObject> request(String address, JsonObject message, String token) {
        DeliveryOptions options = new DeliveryOptions();
        if (token != null) {
            options.addHeader(Authorization.HEADER, "Bearer " + token);
        }
        return gw.gateway().vertx().eventBus().<JsonObject>request(address, message, options).map(m -> m.body());
    }
}
