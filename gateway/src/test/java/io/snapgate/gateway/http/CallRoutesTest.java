package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/snapshots/{ref}/functions/{name}}: results, and every error a call can get. */
class CallRoutesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void callAnswersResultAndDuration() {
        assertThat(result(gw.call("hello", "greet", "world"))).isEqualTo("Hello, world!");
        assertThat(result(gw.call("hello", "add", 40, 2))).isEqualTo(42);
    }

    @Test
    void callByDigest() {
        String digest = gw.get("/v1/snapshots/hello").bodyAsJsonObject().getString("digest");
        assertThat(result(gw.call(digest, "add", 1, 2))).isEqualTo(3);
    }

    @Test
    void sixtyFourBitIntegersAsNumbersOrStringsAndBytesAsBase64() {
        assertThat(result(gw.call("testguest", "echo_u64", "18446744073709551615")))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(result(gw.call("testguest", "echo_i64", -9007199254740993L))).isEqualTo(-9007199254740993L);
        assertThat(result(gw.call("hello", "reverse", "AQID"))).isEqualTo("AwIB");
        assertThat(result(gw.call("testguest", "noop"))).isNull();
    }

    @Test
    void hostFunctionsAreOffered() {
        assertThat(result(gw.call("testguest", "add", 2, 3))).isEqualTo(5);
        assertThat(result(gw.call("testguest", "roundtrip_string", "é"))).isEqualTo("é");
    }

    @Test
    void stateIsRestoredAfterEveryCall() {
        assertThat(result(gw.call("testguest", "add_to_static", 5))).isEqualTo(5);
        assertThat(result(gw.call("testguest", "add_to_static", 5))).isEqualTo(5);
    }

    @Test
    void malformedJsonIs400() {
        error(gw.post("/v1/snapshots/hello/functions/add", "{\"args\": [1,"), 400, "BAD_REQUEST");
        error(gw.post("/v1/snapshots/hello/functions/add", "[1, 2]"), 400, "BAD_REQUEST");
        error(gw.post("/v1/snapshots/hello/functions/add", new JsonObject().put("argz", new JsonArray())),
                400, "BAD_REQUEST");
        error(gw.post("/v1/snapshots/hello/functions/add", new JsonObject().put("deadlineMs", -5)), 400, "BAD_REQUEST");
        assertThat(error(gw.post("/v1/snapshots/hello/functions/add", "{\"args\": [1, 2], \"args\": [3, 4]}"), 400,
                "BAD_REQUEST").getString("message")).isEqualTo("malformed JSON: Duplicate field 'args'");
        assertThat(error(gw.post("/v1/snapshots/hello/functions/add", "{\"args\": [1, 2]} {}"), 400, "BAD_REQUEST")
                .getString("message")).startsWith("malformed JSON");
    }

    @Test
    void wrongArgumentTypeIs400NamingTheArgument() {
        JsonObject e = error(gw.call("hello", "add", 1, "forty"), 400, "INVALID_ARGUMENT");
        assertThat(e.getString("message")).contains("argument 1 of add(i32, i32) -> i32").contains("expected i32");
        assertThat(e.getInteger("argument")).isEqualTo(1);
        error(gw.call("hello", "add", 1), 400, "INVALID_ARGUMENT");
    }

    @Test
    void unknownSnapshotIs404() {
        assertThat(error(gw.call("nope", "f"), 404, "UNKNOWN_SNAPSHOT").getString("message")).contains("nope");
        error(gw.call("sha256:" + "0".repeat(64), "f"), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void unknownFunctionIs404ListingTheFunctions() {
        JsonObject e = error(gw.call("hello", "nope"), 404, "UNKNOWN_FUNCTION");
        assertThat(e.getString("message")).contains("it has: add, count, fib, greet, reverse");
        assertThat(e.getJsonArray("functions").stream().map(f -> ((JsonObject) f).getString("name")))
                .contains("greet", "add", "fib", "reverse", "count");
    }

    @Test
    void oversizedBodyIs413() {
        Buffer big = Buffer.buffer(new JsonObject().put("args", new JsonArray().add("x".repeat(1 << 20))).encode());
        error(gw.post("/v1/snapshots/testguest/functions/echo_string", big), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void argumentsOverTheGuestInputBufferAre413() {
        error(gw.call("testguest", "echo_string", "x".repeat(100_000)), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void guestErrorIs422AndLeavesNoState() {
        JsonObject e = error(gw.call("testguest", "add_to_static_and_fail", 7), 422, "GUEST_ERROR");
        assertThat(e.getInteger("guestCode")).isEqualTo(64);
        assertThat(e.getString("guestMessage")).isEqualTo("add_to_static_and_fail failed on purpose");
        assertThat(result(gw.call("testguest", "get_static"))).isEqualTo(0);
    }

    @Test
    void crashIs500ThenTheNextCallWorks() {
        for (int i = 0; i < 4; i++) { // both workers crash and recover
            error(gw.call("testguest", "invalid_instruction"), 500, "GUEST_CRASHED");
            assertThat(result(gw.call("testguest", "echo_i32", i))).isEqualTo(i);
        }
        error(gw.call("testguest", "abort_with_message", 3, "bye"), 500, "GUEST_CRASHED");
        assertThat(result(gw.call("testguest", "get_static"))).isEqualTo(0);
    }

    @Test
    void unknownRouteAndMethodAreJsonErrors() {
        error(gw.get("/v2/nothing"), 404, "NOT_FOUND");
        error(gw.get("/v1/snapshots/hello/functions/add"), 405, "METHOD_NOT_ALLOWED");
    }
}
