package io.snapgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster node's own session address ({@code snapgate.node.<id>.session}, where other nodes forward a session's
 * requests with their token) is reachable by any cluster member: it asks for the deploy scope to save, as the front
 * addresses do.
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
        String id = request(address, Messages.open("hello"), null).await().getString("id");
        for (String token : new String[] {null, CALLER}) {
            Throwable refused = request(address, Messages.save(id, "node-saved"), token)
                    .transform(ar -> Future.succeededFuture(ar.cause())).await();
            assertThat(refused).isInstanceOf(ReplyException.class);
            assertThat(((ReplyException) refused).failureCode()).isEqualTo(403);
            assertThat(new JsonObject(refused.getMessage()).getString("scope")).isEqualTo("deploy");
        }
        assertThat(request(address, Messages.save(id, "node-saved"), DEPLOYER).await().getJsonArray("tags"))
                .containsExactly("node-saved");
        request(address, Messages.close(id), null).await();
    }

    private static Future<JsonObject> request(String address, JsonObject message, String token) {
        DeliveryOptions options = new DeliveryOptions();
        if (token != null) {
            options.addHeader(BusAuth.HEADER, "Bearer " + token);
        }
        return gw.gateway().vertx().eventBus().<JsonObject>request(address, message, options).map(m -> m.body());
    }
}
