package io.snapgate.gateway.auth;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.Session;
import io.snapgate.client.SnapgateClient;
import io.snapgate.client.SnapgateException;
import io.snapgate.client.wire.Addresses;
import io.snapgate.client.wire.Authorization;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens from {@code tokens} may call and deploy, tokens from {@code callTokens} only call: on every REST route the
 * OpenAPI document marks deploy (tried one by one, from the document), on the WebSocket and on the event bus.
 */
class ScopesTest {
    private static final String DEPLOYER = "deployer-token";
    private static final String CALLER = "caller-token";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.TOKENS, DEPLOYER,
            ConfigKey.CALL_TOKENS, CALLER));

    @Test
    void everyRouteTheDocumentMarksDeployRefusesACallTokenNamingTheScope() {
        JsonObject paths = send(DEPLOYER, HttpMethod.GET, "/v1/openapi.json", null).bodyAsJsonObject()
                .getJsonObject("paths");
        Set<String> deploy = new TreeSet<>();
        paths.forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
            if (!path.getKey().startsWith("/v1/")
                    || ((JsonObject) op.getValue()).getBoolean("x-snapgate-cluster-only", false)) {
                return; // a cluster node's own routes: ClusterScopesTest
            }
            String scope = ((JsonObject) op.getValue()).getString("x-snapgate-scope");
            assertThat(scope).as(op.getKey() + " " + path.getKey()).isIn("call", "deploy");
            String url = path.getKey().replace("{ref}", "hello").replace("{name}", "greet")
                    .replace("{id}", "no-such-session").replace("{digest}", "sha256:" + "0".repeat(64))
                    + "?tag=replaced";
            HttpMethod method = HttpMethod.valueOf(op.getKey().toUpperCase());
            HttpResponse<Buffer> answer = send(CALLER, method, url, Buffer.buffer("{}"));
            if (scope.equals("deploy")) {
                deploy.add(op.getKey().toUpperCase() + " " + path.getKey());
                JsonObject refused = error(answer, 403, "FORBIDDEN");
                assertThat(refused.getString("scope")).isEqualTo("deploy");
                assertThat(refused.getString("message")).contains("deploy scope");
            } else {
                assertThat(answer.statusCode()).as(method + " " + url + ": " + answer.bodyAsString())
                        .isNotEqualTo(403);
            }
        }));
        assertThat(deploy).containsExactly("DELETE /v1/snapshots/{ref}", "POST /v1/sessions/{id}/snapshot",
                "POST /v1/snapshots");
        assertThat(result(call(CALLER, "hello", "greet", "intact"))).as("the tag the call token tried to delete")
                .isEqualTo("Hello, intact!");
        error(send(CALLER, HttpMethod.GET, "/v1/snapshots/replaced", null), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void aCallTokenCallsAndUsesSessionsButCannotSaveOne() {
        assertThat(result(call(CALLER, "hello", "greet", "caller"))).isEqualTo("Hello, caller!");
        String id = json(send(CALLER, HttpMethod.POST, "/v1/sessions", Buffer.buffer("{\"snapshot\":\"hello\"}")), 201)
                .getString("id");
        json(send(CALLER, HttpMethod.POST, "/v1/sessions/" + id + "/functions/count",
                Buffer.buffer("{\"args\":[2]}")), 200);
        json(send(CALLER, HttpMethod.POST, "/v1/sessions/" + id + "/restore", null), 200);
        error(send(CALLER, HttpMethod.POST, "/v1/sessions/" + id + "/snapshot?tag=by-caller", null), 403, "FORBIDDEN");
        json(send(DEPLOYER, HttpMethod.POST, "/v1/sessions/" + id + "/snapshot?tag=by-deployer", null), 201);
        assertThat(send(CALLER, HttpMethod.DELETE, "/v1/sessions/" + id, null).statusCode()).isEqualTo(204);
        error(send(CALLER, HttpMethod.GET, "/v1/snapshots/by-caller", null), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void aDeployTokenUploadsAndDeletes() {
        json(send(DEPLOYER, HttpMethod.POST, "/v1/snapshots?tag=uploaded", Buffer.buffer(ExampleGuests.elf("hello"))),
                201);
        error(send(CALLER, HttpMethod.POST, "/v1/snapshots?tag=uploaded", Buffer.buffer(ExampleGuests.elf("hello"))),
                403, "FORBIDDEN");
        assertThat(send(DEPLOYER, HttpMethod.DELETE, "/v1/snapshots/uploaded", null).statusCode()).isEqualTo(204);
    }

    @Test
    void aCallTokenCallsOverTheWebSocket() {
        WebSocketClient client = gw.clients().createWebSocketClient();
        try {
            var ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gw.gateway().port())
                    .setURI("/v1/ws").addHeader("Authorization", "Bearer " + CALLER)).timeout(ANSWER_S, SECONDS)
                    .await();
            var answer = io.vertx.core.Promise.<String>promise();
            ws.textMessageHandler(answer::tryComplete);
            ws.writeTextMessage("{\"id\":1,\"snapshot\":\"hello\",\"function\":\"greet\",\"args\":[\"ws\"]}");
            assertThat(new JsonObject(answer.future().timeout(ANSWER_S, SECONDS).await()).getString("result"))
                    .isEqualTo("Hello, ws!");
            ws.close().timeout(ANSWER_S, SECONDS).await();
        } finally {
            client.close().timeout(ANSWER_S, SECONDS).await();
        }
    }

    @Test
    void theEventBusSavesASessionOnlyWithADeployToken() {
        JsonObject opened = bus(Addresses.SESSION, Messages.open("hello"), null).timeout(ANSWER_S, SECONDS).await();
        String id = opened.getString("id");
        assertThat(bus(Addresses.CALL, Messages.call("hello", "greet", new JsonArray().add("bus"), null), null)
                .timeout(ANSWER_S, SECONDS).await().getString("result")).as("calls need no token on the bus")
                .isEqualTo("Hello, bus!");
        for (String token : new String[] {null, CALLER}) {
            ReplyException refused = refusal(bus(Addresses.SESSION, Messages.save(id, "bus-saved"), token));
            assertThat(refused.failureCode()).isEqualTo(403);
            JsonObject body = new JsonObject(refused.getMessage());
            assertThat(body.getString("code")).isEqualTo("FORBIDDEN");
            assertThat(body.getString("scope")).isEqualTo("deploy");
        }
        assertThat(refusal(bus(Addresses.SESSION, Messages.save(id, "bus-saved"), "wrong")).failureCode())
                .isEqualTo(403);
        assertThat(bus(Addresses.SESSION, Messages.save(id, "bus-saved"), DEPLOYER).timeout(ANSWER_S, SECONDS).await()
                .getJsonArray("tags"))
                .containsExactly("bus-saved");
        bus(Addresses.SESSION, Messages.close(id), CALLER).timeout(ANSWER_S, SECONDS).await();
    }

    @Test
    void theTypedClientSendsItsTokenAndGetsItsScope() {
        SnapgateClient caller = SnapgateClient.create(gw.gateway().vertx(), Duration.ofSeconds(30), CALLER);
        SnapgateClient deployer = SnapgateClient.create(gw.gateway().vertx(), Duration.ofSeconds(30), DEPLOYER);
        assertThat(caller.call("hello", "greet", "client").await().asString()).isEqualTo("Hello, client!");
        Session session = caller.openSession("hello").await();
        Throwable refused = session.saveAs("client-saved").transform(ar -> Future.succeededFuture(ar.cause())).await();
        assertThat(refused).isInstanceOf(SnapgateException.class);
        assertThat(((SnapgateException) refused).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(((SnapgateException) refused).details().getString("scope")).isEqualTo("deploy");
        session.close().await();
        Session deployed = deployer.openSession("hello").await();
        assertThat(deployed.saveAs("client-saved").await().tags()).containsExactly("client-saved");
        deployed.close().await();
        caller.close().await();
        deployer.close().await();
    }

    private static Future<JsonObject> bus(String address, JsonObject message, String token) {
        DeliveryOptions options = new DeliveryOptions();
        if (token != null) {
            options.addHeader(Authorization.HEADER, "Bearer " + token);
        }
        return gw.gateway().vertx().eventBus().<JsonObject>request(address, message, options).map(m -> m.body());
    }

    private static ReplyException refusal(Future<JsonObject> answer) {
        Throwable t = answer.transform(ar -> Future.succeededFuture(ar.cause())).timeout(ANSWER_S, SECONDS).await();
        assertThat(t).isInstanceOf(ReplyException.class);
        return (ReplyException) t;
    }

    private static HttpResponse<Buffer> call(String token, String snapshot, String function, String arg) {
        return send(token, HttpMethod.POST, "/v1/snapshots/" + snapshot + "/functions/" + function,
                Buffer.buffer(new JsonObject().put("args", new JsonArray().add(arg)).encode()));
    }

    private static HttpResponse<Buffer> send(String token, HttpMethod method, String path, Buffer body) {
        var request = gw.client().request(method, path).bearerTokenAuthentication(token);
        return (body == null ? request.send() : request.sendBuffer(body)).await();
    }
}
