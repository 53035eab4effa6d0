package io.snapgate.gateway.eventbus;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Address {@code snapgate.call}: the REST call's JSON in, its answer out, failures as ReplyExceptions. */
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
        bus().<JsonObject>request(CallConsumer.ADDRESS, call("hello", "greet", "bus"))
                .map(Message::body)
                .onComplete(test.succeeding(reply -> test.verify(() -> {
                    assertThat(reply.getString("result")).isEqualTo("Hello, bus!");
                    assertThat(reply.getLong("durationMicros")).isNotNegative();
                    test.completeNow();
                })));
    }

    @Test
    void jsonTextIsAcceptedToo() {
        Message<JsonObject> reply = bus().<JsonObject>request(CallConsumer.ADDRESS,
                call("hello", "add", 2, 3).encode()).await();
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
        Message<JsonObject> reply = bus().<JsonObject>request(CallConsumer.ADDRESS,
                call("testguest", "echo_string", "😀 \ud83d\ude00")).await();
        assertThat(reply.body().getString("result")).isEqualTo("😀 😀");
    }

    /** Asserts the request fails with this status and code; returns the error JSON. */
    private static JsonObject assertFailure(Object message, int status, String code) {
        Throwable failure = bus().request(CallConsumer.ADDRESS, message)
                .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
        assertThat(failure).isInstanceOf(ReplyException.class);
        ReplyException e = (ReplyException) failure;
        assertThat(e.failureCode()).isEqualTo(status);
        JsonObject error = new JsonObject(e.getMessage());
        assertThat(error.getString("code")).isEqualTo(code);
        return error;
    }
}
