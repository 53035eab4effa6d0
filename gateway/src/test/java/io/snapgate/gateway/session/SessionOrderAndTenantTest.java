package io.snapgate.gateway.session;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.wire.Addresses;
import io.snapgate.client.wire.Authorization;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.gateway.testing.Waits;
import io.snapgate.gateway.worker.Worker;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session's operations run in the order they arrived, whoever sends them (a close after a call queued before it,
 * calls of two tokens), and each is admitted under its caller's token, on REST and the event bus alike. One worker
 * and three places (one running, two queued), so that who waits behind whom is known; each request is sent once
 * the worker has the one before (its load), without waiting for its answer.
 */
class SessionOrderAndTenantTest {
    private static final String FIRST = "first-token";
    private static final String SECOND = "second-token";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.WORKERS, "1", ConfigKey.MAX_QUEUE, "2",
            ConfigKey.TOKENS, FIRST + "," + SECOND));

    @Test
    void aCloseSentAfterCallsRunsAfterThemAndTheCallsAreAnswered() {
        String id = open(FIRST, "testguest");
        Future<HttpResponse<Buffer>> slow = send(FIRST, "/v1/sessions/" + id + "/functions/spin_for_ms", args(500));
        awaitLoad(1);
        Future<HttpResponse<Buffer>> queued = send(FIRST, "/v1/sessions/" + id + "/functions/spin_for_ms", args(1));
        awaitLoad(2);
        Future<HttpResponse<Buffer>> closed = gw.client().delete("/v1/sessions/" + id).bearerTokenAuthentication(FIRST)
                .send();
        awaitLoad(3); // the close is queued behind both: before, it went first and the queued call found no session

        result(slow.await());
        assertThat(((Number) result(queued.await())).longValue()).as("the call sent before the close").isPositive();
        assertThat(closed.await().statusCode()).isEqualTo(204);
        assertThat(error(send(FIRST, "/v1/sessions/" + id + "/functions/spin_for_ms", args(1)).await(), 404,
                "UNKNOWN_SESSION").getString("message")).contains("ended");
    }

    @Test
    void callsOfTwoTokensIntoOneSessionRunInTheOrderTheyArrived() {
        String id = open(FIRST, "hello");
        // the first token's stateless call holds the worker, so its session call waits in its lane, ahead of the
        // second token's in a lane of its own: by lanes alone, the second token's would run first
        Future<HttpResponse<Buffer>> holder = send(FIRST, "/v1/snapshots/testguest/functions/spin_for_ms", args(500));
        awaitLoad(1);
        Future<HttpResponse<Buffer>> first = send(FIRST, "/v1/sessions/" + id + "/functions/count", args(1));
        awaitLoad(2);
        Future<HttpResponse<Buffer>> second = send(SECOND, "/v1/sessions/" + id + "/functions/count", args(10));
        awaitLoad(3);
        result(holder.await());
        assertThat(result(first.await())).isEqualTo(1);
        assertThat(result(second.await())).isEqualTo(11);
        close(id);
    }

    @Test
    void aSessionsCallsCountAgainstTheirCallersTokenOnRestAndTheEventBus() {
        String id = open(SECOND, "testguest");
        for (boolean bus : List.of(false, true)) {
            List<Future<?>> slow = List.of(sessionCall(bus, id, 500), sessionCall(bus, id, 500));
            awaitLoad(2);
            // the third call of the same token, stateless this time: the node is more than half full and the token
            // holds its share (2 of 3 places) with its session calls, so it is refused naming the token's tenant
            JsonObject refused = error(send(FIRST, "/v1/snapshots/testguest/functions/spin_for_ms", args(1))
                    .await(), 503, "OVERLOADED");
            assertThat(refused.getString("message")).as(bus ? "event bus" : "REST").isEqualTo("the node is busy and"
                    + " token#1 has 2 calls running or queued, against its share of 2 of the node's 3 places among 1"
                    + " callers; retry later");
            slow.forEach(f -> f.timeout(ANSWER_S, SECONDS).await());
        }
        close(id);
    }

    /** A call of {@code ms} in the session with the first token (not the opener's), over REST or the event bus. */
    private static Future<?> sessionCall(boolean bus, String id, int ms) {
        if (!bus) {
            return send(FIRST, "/v1/sessions/" + id + "/functions/spin_for_ms", args(ms)).map(r -> result(r));
        }
        return gw.gateway().vertx().eventBus().<JsonObject>request(Addresses.SESSION, Messages.sessionCall(id,
                        "spin_for_ms", new JsonArray().add(ms), null),
                new DeliveryOptions().addHeader(Authorization.HEADER, "Bearer " + FIRST))
                .recover(t -> Future.failedFuture(new AssertionError(((ReplyException) t).getMessage())));
    }

    private static void awaitLoad(int jobs) {
        Worker worker = gw.gateway().workers().get(0);
        Waits.until("the worker has " + jobs + " jobs", Duration.ofSeconds(10), () -> worker.load() >= jobs);
    }

    private static String open(String token, String snapshot) {
        return json(send(token, "/v1/sessions", new JsonObject().put("snapshot", snapshot)).await(), 201)
                .getString("id");
    }

    private static void close(String id) {
        assertThat(gw.client().delete("/v1/sessions/" + id).bearerTokenAuthentication(FIRST).send().await()
                .statusCode()).isEqualTo(204);
    }

    private static JsonObject args(int n) {
        return new JsonObject().put("args", new JsonArray().add(n));
    }

    private static Future<HttpResponse<Buffer>> send(String token, String path, JsonObject body) {
        return gw.client().post(path).bearerTokenAuthentication(token).sendJsonObject(body);
    }
}
