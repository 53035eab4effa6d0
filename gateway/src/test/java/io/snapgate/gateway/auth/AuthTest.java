package io.snapgate.gateway.auth;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.result;
import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With tokens set, every /v1 route needs one; /health and /metrics stay open. */
class AuthTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.TOKENS, "first-token,second-token"));

    @Test
    void noTokenIs401WithAChallenge() {
        var response = gw.call("hello", "add", 1, 2);
        error(response, 401, "UNAUTHORIZED");
        assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
        error(gw.get("/v1/snapshots"), 401, "UNAUTHORIZED");
        error(gw.post("/v1/sessions", new JsonObject().put("snapshot", "hello")), 401, "UNAUTHORIZED");
    }

    @Test
    void wrongTokenIs403() {
        var client = gw.client().post(gw.gateway().port(), "127.0.0.1", "/v1/snapshots/hello/functions/add")
                .bearerTokenAuthentication("third-token");
        error(client.sendJsonObject(new JsonObject().put("args", new io.vertx.core.json.JsonArray().add(1).add(2)))
                .await(), 403, "FORBIDDEN");
    }

    @Test
    void everyConfiguredTokenWorks() {
        var call = gw.client().post("/v1/snapshots/hello/functions/add").bearerTokenAuthentication("first-token")
                .sendJsonObject(new JsonObject().put("args", new io.vertx.core.json.JsonArray().add(1).add(2))).await();
        assertThat(result(call)).isEqualTo(3);
        for (String token : new String[] {"first-token", "second-token"}) {
            var response = gw.client().get("/v1/snapshots/hello").bearerTokenAuthentication(token).send().await();
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthAndMetricsStayOpen() {
        assertThat(gw.get("/health").statusCode()).isEqualTo(200);
        assertThat(gw.get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void theWebSocketUpgradeNeedsAToken() {
        WebSocketClient ws = gw.clients().createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(gw.gateway().port()).setURI("/v1/ws");
        Throwable refused = ws.connect(options).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
                .await();
        assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
        assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(401);
        var socket = ws.connect(options.addHeader("Authorization", "Bearer second-token")).timeout(ANSWER_S, SECONDS)
                .await();
        assertThat(socket.isClosed()).isFalse();
        socket.close().timeout(ANSWER_S, SECONDS).await();
        ws.close().timeout(ANSWER_S, SECONDS).await();
    }
}
