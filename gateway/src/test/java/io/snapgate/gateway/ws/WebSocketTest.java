package io.snapgate.gateway.ws;

import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v1/ws}: many calls in flight per connection, answered by id in completion order, with a cap. */
@ExtendWith(VertxExtension.class)
class WebSocketTest {
    private static final int CAP = 8;

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.WS_IN_FLIGHT, Integer.toString(CAP)));

    private WebSocketClient client;
    private WebSocket ws;

    @BeforeEach
    void connect() {
        client = gw.clients().createWebSocketClient(); // kept in a field: a collected client closes mid-handshake
        ws = client.connect(gw.gateway().port(), "127.0.0.1", "/v1/ws").timeout(ANSWER_S, SECONDS).await();
    }

    @AfterEach
    void disconnect() {
        ws.close().timeout(ANSWER_S, SECONDS).await();
        client.close().timeout(ANSWER_S, SECONDS).await();
    }

    private void send(Object id, String snapshot, String function, Object... args) {
        ws.writeTextMessage(new JsonObject().put("id", id).put("snapshot", snapshot).put("function", function)
                .put("args", new JsonArray(List.of(args))).encode());
    }

    @Test
    void manyCallsInFlightAreAnsweredById(VertxTestContext test) {
        int calls = CAP;
        Checkpoint answered = test.checkpoint(calls);
        ws.textMessageHandler(text -> test.verify(() -> {
            JsonObject reply = new JsonObject(text);
            assertThat(reply.getValue("result")).as(text).isEqualTo(reply.getInteger("id") * 3);
            assertThat(reply.getLong("durationMicros")).isNotNegative();
            answered.flag();
        }));
        for (int i = 0; i < calls; i++) {
            send(i, "testguest", "echo_i32", i * 3);
        }
    }

    @Test
    void answersComeInCompletionOrder(VertxTestContext test) throws InterruptedException {
        List<String> order = new CopyOnWriteArrayList<>();
        Checkpoint both = test.checkpoint(2);
        ws.textMessageHandler(text -> {
            order.add(new JsonObject(text).getString("id"));
            both.flag();
        });
        send("slow", "testguest", "spin_for_ms", 400);
        send("fast", "testguest", "echo_i32", 1);
        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("fast", "slow");
    }

    @Test
    void callsBeyondTheCapAreRefusedAtOnce(VertxTestContext test) throws InterruptedException {
        List<JsonObject> replies = new CopyOnWriteArrayList<>();
        Checkpoint all = test.checkpoint(CAP + 1);
        ws.textMessageHandler(text -> {
            replies.add(new JsonObject(text));
            all.flag();
        });
        for (int i = 0; i < CAP; i++) {
            send(i, "testguest", "spin_for_ms", 150);
        }
        send("extra", "testguest", "noop");
        assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
        assertThat(replies.get(0).getString("id")).isEqualTo("extra");
        assertThat(replies.get(0).getJsonObject("error").getString("code")).isEqualTo("TOO_MANY_IN_FLIGHT");
        assertThat(replies.subList(1, replies.size())).allSatisfy(r -> assertThat(r.containsKey("result")).isTrue());
    }

    @Test
    void badFramesAreAnsweredWithErrors(VertxTestContext test) throws InterruptedException {
        List<JsonObject> replies = new CopyOnWriteArrayList<>();
        Checkpoint all = test.checkpoint(5);
        ws.textMessageHandler(text -> {
            replies.add(new JsonObject(text));
            all.flag();
        });
        ws.writeTextMessage("{not json");
        send(1, "testguest", "nope");
        send(2, "testguest", "echo_i32", "x");
        send(3, "testguest", "add_to_static_and_fail", 1);
        ws.writeTextMessage(new JsonObject().put("id", 4).put("snapshot", "testguest").put("function", "noop")
                .put("argz", new JsonArray()).encode());
        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
        assertThat(replies).extracting(r -> r.getJsonObject("error").getString("code")).containsExactlyInAnyOrder(
                "BAD_REQUEST", "UNKNOWN_FUNCTION", "INVALID_ARGUMENT", "GUEST_ERROR", "BAD_REQUEST");
        assertThat(replies).filteredOn(r -> r.getValue("id") == null).hasSize(1);
        assertThat(replies).filteredOn(r -> Integer.valueOf(4).equals(r.getValue("id"))).singleElement()
                .extracting(r -> r.getJsonObject("error").getString("message")).isEqualTo(
                        "unknown field \"argz\"; expected args, deadlineMs, function, id, snapshot");
    }
}
