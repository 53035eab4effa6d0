package io.snapgate.gateway.eventbus;

import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.wire.Addresses;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.impl.codecs.JsonObjectMessageCodec;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event-bus front: the REST call's JSON in, its answer out, failures as ReplyExceptions; session operations and
 * snapshot queries as messages, answered as their REST routes answer.
 */
@ExtendWith(VertxExtension.class)
class EventBusTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static EventBus bus() {
        return gw.gateway().vertx().eventBus();
    }

    private static JsonObject call(String snapshot, String function, Object... args) {
        return new JsonObject().put("snapshot", snapshot).put("function", function)
                .put("args", new JsonArray(java.util.List.of(args)));
    }

    @Test
    void aCallOverTheEventBus(VertxTestContext test) {
        bus().<JsonObject>request(Addresses.CALL, call("hello", "greet", "bus"))
                .map(Message::body)
                .onComplete(test.succeeding(reply -> test.verify(() -> {
                    assertThat(reply.getString("result")).isEqualTo("Hello, bus!");
                    assertThat(reply.getLong("durationMicros")).isNotNegative();
                    test.completeNow();
                })));
    }

    @Test
    void jsonTextIsAcceptedToo() {
        Message<JsonObject> reply = bus().<JsonObject>request(Addresses.CALL,
                call("hello", "add", 2, 3).encode()).timeout(ANSWER_S, SECONDS).await();
        assertThat(reply.body().getInteger("result")).isEqualTo(5);
    }

    @Test
    void failuresAreReplyExceptionsWithTheStatusAndTheErrorJson() {
        assertFailure(call("hello", "nope"), 404, "UNKNOWN_FUNCTION");
        assertFailure(call("nope", "f"), 404, "UNKNOWN_SNAPSHOT");
        assertFailure(call("hello", "add", "x", 1), 400, "INVALID_ARGUMENT");
        assertFailure(call("testguest", "add_to_static_and_fail", 1), 422, "GUEST_ERROR");
        assertFailure(call("testguest", "invalid_instruction"), 500, "GUEST_CRASHED");
        assertFailure(call("testguest", "spin").put("deadlineMs", 100), 504, "DEADLINE_EXCEEDED");
        assertFailure(new JsonObject().put("function", "f"), 400, "BAD_REQUEST");
    }

    @Test
    void textThatIsNotValidUnicodeIsRefusedNamingWhereAndNotDispatched() {
        double counted = gw.callsCounted();
        JsonObject lone = call("testguest", "echo_string", "ab\ud800");
        assertThat(assertFailure(lone, 400, "INVALID_ARGUMENT").getString("message"))
                .isEqualTo("args[0]: unpaired surrogate \\ud800 at character 2");
        String text = "{\"snapshot\":\"testguest\",\"function\":\"echo_string\",\"args\":[\"\udc00\"]}";
        assertThat(assertFailure(text, 400, "INVALID_ARGUMENT").getString("message"))
                .as("a raw surrogate in JSON text").isEqualTo("args[0]: unpaired surrogate \\udc00 at character 0");
        assertThat(assertFailure(call("test\ud83dguest", "echo_string", "x"), 400, "BAD_REQUEST")
                .getString("message")).isEqualTo("snapshot: unpaired surrogate \\ud83d at character 4");
        assertThat(gw.callsCounted()).as("calls dispatched").isEqualTo(counted);
    }

    @Test
    void aJsonObjectFromAnotherNodeKeepsItsUnpairedSurrogateAndIsRefused() {
        Buffer wire = Buffer.buffer();
        JsonObjectMessageCodec codec = new JsonObjectMessageCodec();
        codec.encodeToWire(wire, call("testguest", "echo_string", "\udfff"));
        JsonObject arrived = codec.decodeFromWire(0, wire);
        assertThat(assertFailure(arrived, 400, "INVALID_ARGUMENT").getString("message"))
                .isEqualTo("args[0]: unpaired surrogate \\udfff at character 0");
    }

    @Test
    void astralCharactersReachTheGuestUnchanged() {
        Message<JsonObject> reply = bus().<JsonObject>request(Addresses.CALL,
                call("testguest", "echo_string", "😀 \ud83d\ude00")).timeout(ANSWER_S, SECONDS).await();
        assertThat(reply.body().getString("result")).isEqualTo("😀 😀");
    }

    @Test
    void aSessionOverTheEventBusKeepsItsStateUntilRestoredAndEnds() {
        JsonObject session = request(Addresses.SESSION, Messages.open("hello"));
        String id = session.getString("id");
        assertThat(session.getString("snapshot")).startsWith("sha256:");
        JsonArray two = new JsonArray().add(2);
        assertThat(request(Addresses.SESSION, Messages.sessionCall(id, "count", two, null)).getInteger("result"))
                .isEqualTo(2);
        assertThat(request(Addresses.SESSION, Messages.sessionCall(id, "count", two, 1000L)).getInteger("result"))
                .isEqualTo(4);
        assertThat(request(Addresses.SESSION, Messages.restore(id)).getString("id")).isEqualTo(id);
        assertThat(request(Addresses.SESSION, Messages.sessionCall(id, "count", two, null)).getInteger("result"))
                .isEqualTo(2);
        assertThat(request(Addresses.SESSION, Messages.close(id))).isEqualTo(new JsonObject());
        assertFailure(Addresses.SESSION, Messages.restore(id), 404, "UNKNOWN_SESSION");
    }

    @Test
    void snapshotsAreListedAndDescribedAsRestDoes() {
        JsonObject listed = request(Addresses.SNAPSHOTS, Messages.list());
        assertThat(listed).isEqualTo(gw.get("/v1/snapshots").bodyAsJsonObject());
        JsonObject hello = request(Addresses.SNAPSHOTS, Messages.describe("hello"));
        assertThat(hello).isEqualTo(gw.get("/v1/snapshots/hello").bodyAsJsonObject());
        assertFailure(Addresses.SNAPSHOTS, Messages.describe("nope"), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void aSessionOrSnapshotRequestIsCheckedAsStrictlyAsItsRestRoute() {
        assertThat(assertFailure(Addresses.SESSION, new JsonObject().put("op", "drop").put("id", "x"), 400,
                "BAD_REQUEST").getString("message")).contains("unknown session operation \"drop\"");
        assertThat(assertFailure(Addresses.SESSION, Messages.open("hello").put("ttl", 5), 400, "BAD_REQUEST")
                .getString("message")).contains("unknown field \"ttl\"");
        assertFailure(Addresses.SESSION, new JsonObject().put("snapshot", "hello"), 400, "BAD_REQUEST");
        assertFailure(Addresses.SESSION, Messages.open("nope"), 404, "UNKNOWN_SNAPSHOT");
        assertFailure(Addresses.SESSION, Messages.save("x", "bad tag"), 400, "BAD_REQUEST");
        assertFailure(Addresses.SNAPSHOTS, new JsonObject().put("op", "delete").put("ref", "hello"), 400,
                "BAD_REQUEST");
        assertFailure(Addresses.SNAPSHOTS, 42, 400, "BAD_REQUEST");
        assertThat(assertFailure(Addresses.SESSION, Messages.sessionCall("x", "f", new JsonArray().add("\ud800"),
                null), 400, "INVALID_ARGUMENT").getString("message")).contains("unpaired surrogate");
    }

    private static JsonObject request(String address, JsonObject message) {
        return bus().<JsonObject>request(address, message).timeout(ANSWER_S, SECONDS).await().body();
    }

    private static JsonObject assertFailure(Object message, int status, String code) {
        return assertFailure(Addresses.CALL, message, status, code);
    }

    /** Asserts the request fails with this status and code; returns the error JSON. */
    private static JsonObject assertFailure(String address, Object message, int status, String code) {
        Throwable failure = bus().request(address, message)
                .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).timeout(ANSWER_S, SECONDS).await();
        assertThat(failure).isInstanceOf(ReplyException.class);
        ReplyException e = (ReplyException) failure;
        assertThat(e.failureCode()).isEqualTo(status);
        JsonObject error = new JsonObject(e.getMessage());
        assertThat(error.getString("code")).isEqualTo(code);
        return error;
    }
}
