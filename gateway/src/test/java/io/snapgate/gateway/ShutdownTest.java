package io.snapgate.gateway;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.result;
import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.gateway.worker.Worker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@link Gateway#close()}: calls in flight are answered, a guest still running when the grace period ends is
 * stopped and its caller answered SHUTTING_DOWN, WebSockets close with 1001 once their calls are answered.
 */
class ShutdownTest {
    private static Future<HttpResponse<Buffer>> call(TestGateway gw, String function, Object... args) {
        return gw.client().post("/v1/snapshots/testguest/functions/" + function)
                .sendJsonObject(new JsonObject().put("args", new JsonArray(List.of(args))).put("deadlineMs", 20_000));
    }

    /** Waits until a worker runs a guest call (the call under test has reached its worker). */
    private static void awaitBusy(TestGateway gw) throws InterruptedException {
        while (gw.gateway().workers().stream().noneMatch(Worker::busy)) {
            Thread.sleep(2);
        }
    }

    private static void awaitClosed(Future<Void> closing) throws TimeoutException {
        closing.await(1, TimeUnit.MINUTES);
    }

    @Test
    void aCallInFlightIsAnsweredBeforeTheNodeCloses() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.GRACE_MS, "10000"))) {
            result(gw.call("testguest", "noop")); // the snapshot loaded: the call below starts at once
            Future<HttpResponse<Buffer>> running = call(gw, "spin_for_ms", 300);
            awaitBusy(gw);
            Future<Void> closing = gw.gateway().close();
            assertThat(((Number) result(running.await())).longValue()).as("polls of the guest's clock").isPositive();
            awaitClosed(closing);
            assertThat(call(gw, "noop").transform(ar -> Future.succeededFuture(ar.failed())).await())
                    .as("a call after the close is refused").isTrue();
        }
    }

    @Test
    void aGuestStillRunningWhenTheGraceEndsIsStoppedAndItsCallerAnsweredShuttingDown() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.GRACE_MS, "300"))) {
            result(gw.call("testguest", "noop"));
            Future<HttpResponse<Buffer>> endless = call(gw, "spin");
            awaitBusy(gw);
            Future<Void> closing = gw.gateway().close();
            error(endless.await(), 503, "SHUTTING_DOWN");
            awaitClosed(closing);
        }
    }

    @Test
    void anHttp2CallInFlightIsAnsweredAfterTheGoaway() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.GRACE_MS, "300"))) {
            result(gw.call("testguest", "noop"));
            WebClient h2 = WebClient.create(gw.clients(), new WebClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false)); // prior knowledge: h2c from the first byte
            Future<HttpResponse<Buffer>> endless = h2.post(gw.gateway().port(), "127.0.0.1",
                    "/v1/snapshots/testguest/functions/spin").sendJsonObject(new JsonObject()
                    .put("args", new JsonArray()).put("deadlineMs", 20_000));
            awaitBusy(gw);
            Future<Void> closing = gw.gateway().close();
            HttpResponse<Buffer> answer = endless.await();
            assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_2);
            error(answer, 503, "SHUTTING_DOWN");
            awaitClosed(closing);
            h2.close();
        }
    }

    @Test
    void webSocketsCloseGoingAwayOnceTheirCallsAreAnswered() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.GRACE_MS, "10000"))) {
            result(gw.call("testguest", "noop"));
            WebSocketClient client = gw.clients().createWebSocketClient();
            WebSocket idle = client.connect(gw.gateway().port(), "127.0.0.1", "/v1/ws").timeout(ANSWER_S, SECONDS)
                    .await();
            WebSocket busy = client.connect(gw.gateway().port(), "127.0.0.1", "/v1/ws").timeout(ANSWER_S, SECONDS)
                    .await();
            Future<Short> idleClosed = closeStatus(idle);
            Future<Short> busyClosed = closeStatus(busy);
            Promise<JsonObject> answer = Promise.promise();
            busy.textMessageHandler(text -> answer.tryComplete(new JsonObject(text)));
            busy.writeTextMessage(new JsonObject().put("id", 1).put("snapshot", "testguest")
                    .put("function", "spin_for_ms").put("args", new JsonArray().add(300)).encode());
            awaitBusy(gw);
            Future<Void> closing = gw.gateway().close();
            assertThat(idleClosed.timeout(ANSWER_S, SECONDS).await()).as("idle socket's close status")
                    .isEqualTo((short) 1001);
            assertThat(answer.future().timeout(ANSWER_S, SECONDS).await().getLong("result"))
                    .as("the call in flight is answered").isPositive();
            assertThat(busyClosed.timeout(ANSWER_S, SECONDS).await()).as("busy socket's close status")
                    .isEqualTo((short) 1001);
            awaitClosed(closing);
            client.close().timeout(ANSWER_S, SECONDS).await();
        }
    }

    private static Future<Short> closeStatus(WebSocket ws) {
        Promise<Short> status = Promise.promise();
        ws.closeHandler(v -> status.complete(ws.closeStatusCode()));
        return status.future();
    }
}
