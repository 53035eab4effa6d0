package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.wire.Addresses;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.Promise;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JavaScript deployed as source over REST: its exports called with JSON values over REST, WebSocket, the event bus
 * and sessions; its errors (syntax, exceptions, loops, heap) each answered with a JSON error; sizes per deploy.
 */
class JavaScriptRoutesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    static final String RULES = """
            var seen = 0;
            exports.check = function (order) {
                seen++;
                return { ok: order.amount < 100, seen: seen, items: (order.items || []).length };
            };
            exports.fail = function (why) { throw new Error('rejected: ' + why); };
            exports.spin = function () { for (;;) {} };
            exports.hog = function () { var a = []; for (;;) a.push(new Uint8Array(1 << 20)); };
            exports.flood = function (n) { for (var i = 0; i < n; i++) console.log('line ' + i); return n; };
            exports.lone = function () { return '\\ud800'; };
            """;

    @BeforeAll
    static void deploy() {
        json(gw.deployScript("tag=rules", RULES), 201);
    }

    private static JsonObject args(Object... values) {
        return new JsonObject().put("args", new JsonArray(List.of(values)));
    }

    @Test
    void aDeployListsTheExportedFunctions() {
        var response = gw.deployScript("tag=rules2", RULES);
        JsonObject built = json(response, 201);
        assertThat(response.getHeader("Location")).isEqualTo("/v1/snapshots/rules2");
        assertThat(built.getJsonArray("functions").stream().map(f -> ((JsonObject) f).getString("signature")))
                .containsExactly("check(json) -> json", "fail(json) -> json", "spin() -> json", "hog() -> json",
                        "flood(json) -> json", "lone() -> json");
    }

    @Test
    void anyJsonValueGoesInAndComesOut() {
        JsonObject order = new JsonObject().put("amount", 12).put("items", new JsonArray().add("a").add("b"));
        assertThat(result(gw.call("rules", "check", order)))
                .isEqualTo(new JsonObject().put("ok", true).put("seen", 1).put("items", 2));
        assertThat(result(gw.call("rules", "check", new JsonObject().put("amount", 500))))
                .as("stateless: every call starts from the snapshot")
                .isEqualTo(new JsonObject().put("ok", false).put("seen", 1).put("items", 0));
        error(gw.call("rules", "check"), 400, "INVALID_ARGUMENT");
    }

    @Test
    void aSyntaxErrorIsAnInvalidGuestWithItsLine() {
        JsonObject e = error(gw.deployScript("tag=broken", "exports.f = function () {\n  return 1 +;\n};"), 422,
                "INVALID_GUEST");
        assertThat(e.getString("message")).contains("SyntaxError").contains("line 2");
        error(gw.get("/v1/snapshots/broken"), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void anExportWhoseNameHoldsANulIsAnInvalidGuestNamingIt() {
        // registered as far as the NUL it would be "ok", and a call of "ok" would reach it
        JsonObject e = error(gw.deployScript("tag=nul", "exports['ok\\u0000hidden'] = function () { return 1; };"),
                422, "INVALID_GUEST");
        assertThat(e.getString("message")).contains("export \"ok\\u0000...\": a function's name must not contain"
                + " U+0000");
        error(gw.get("/v1/snapshots/nul"), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void aJsonHostArgumentWithoutJsonTextIsAnErrorSayingAJsonTextWasExpected() {
        json(gw.deployScript("tag=host-json", """
                exports.echo = function (v) { return snapgate.host('host_echo_json(json) -> json', v); };
                exports.fn = function () { return snapgate.host('host_echo_json(json) -> json', function () {}); };
                """), 201);
        assertThat(result(gw.call("host-json", "echo", new JsonObject().put("a", 1))))
                .isEqualTo(new JsonObject().put("a", 1));
        JsonObject e = error(gw.call("host-json", "fn"), 422, "GUEST_ERROR");
        assertThat(e.getString("guestMessage")).contains("argument 0 of host function host_echo_json: expected a JSON"
                + " text (JSON.stringify makes none of a function or a symbol)");
    }

    @Test
    void aThrownExceptionIsAGuestErrorWithItsStack() {
        JsonObject e = error(gw.call("rules", "fail", "too big"), 422, "GUEST_ERROR");
        assertThat(e.getInteger("guestCode")).isEqualTo(64);
        assertThat(e.getString("guestMessage")).startsWith("Error: rejected: too big").contains("script.js:6");
    }

    @Test
    void endlessLoopsHeapExhaustionAndFloodsAreAnsweredAndTheNodeGoesOn() {
        error(gw.post("/v1/snapshots/rules/functions/spin", new JsonObject().put("deadlineMs", 300)), 504,
                "DEADLINE_EXCEEDED");
        assertThat(error(gw.call("rules", "hog"), 500, "GUEST_CRASHED").getString("message"))
                .contains("heap is exhausted");
        assertThat(result(gw.call("rules", "flood", 5000))).isEqualTo(5000);
        assertThat(error(gw.call("rules", "lone"), 422, "GUEST_ERROR").getString("guestMessage"))
                .contains("unpaired surrogate");
        assertThat(gw.get("/health").statusCode()).isEqualTo(200);
        assertThat(result(gw.call("rules", "check", new JsonObject().put("amount", 1))))
                .isEqualTo(new JsonObject().put("ok", true).put("seen", 1).put("items", 0));
    }

    @Test
    void deepRecursionAndDeepResultsAreGuestErrorsWithinTheDefaultDeadline() {
        json(gw.deployScript("tag=recursive", """
                var calls = 0;
                function down(k) { return down(k + 1) + 1; }
                function replaced(k) {
                    return JSON.stringify({ a: 1 }, function (key, v) { return key === 'a' ? replaced(k + 1) : v; });
                }
                exports.down = function () { calls++; return down(0); };
                exports.replacer = function () { calls++; return replaced(0); };
                exports.caught = function () {
                    calls++;
                    try { return replaced(0); } catch (e) { return e.name + ': ' + e.message; }
                };
                exports.calls = function () { return ++calls; };
                exports.nested = function () { var v = []; for (var i = 0; i < 600; i++) v = [v]; return v; };
                """), 201);
        JsonObject e = error(gw.call("recursive", "down"), 422, "GUEST_ERROR");
        assertThat(e.getString("guestMessage")).startsWith("RangeError: callstack limit")
                .contains("at down (script.js:2)");
        assertThat(error(gw.call("recursive", "replacer"), 422, "GUEST_ERROR").getString("guestMessage"))
                .startsWith("RangeError: C stack depth limit");
        assertThat(result(gw.call("recursive", "caught"))).isEqualTo("RangeError: C stack depth limit");
        assertThat(error(gw.call("recursive", "nested"), 422, "GUEST_ERROR").getString("guestMessage"))
                .as("a result nested deeper than the host takes").startsWith("RangeError: encode recursion limit");

        String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "recursive")), 201).getString("id");
        String path = "/v1/sessions/" + id + "/functions/";
        error(gw.post(path + "down", null), 422, "GUEST_ERROR");
        error(gw.post(path + "replacer", null), 422, "GUEST_ERROR");
        assertThat(result(gw.post(path + "caught", null))).isEqualTo("RangeError: C stack depth limit");
        assertThat(result(gw.post(path + "calls", null))).as("the session goes on, its state kept").isEqualTo(4);
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
    }

    private static int seen(HttpResponse<Buffer> response) {
        return ((JsonObject) result(response)).getInteger("seen");
    }

    @Test
    void aSessionKeepsGlobalsUntilRestoredAndCanBeSaved() {
        String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "rules")), 201).getString("id");
        String path = "/v1/sessions/" + id;
        JsonObject order = new JsonObject().put("amount", 1);
        assertThat(seen(gw.post(path + "/functions/check", args(order)))).isEqualTo(1);
        assertThat(seen(gw.post(path + "/functions/check", args(order)))).isEqualTo(2);
        json(gw.post(path + "/snapshot?tag=warm", null), 201);
        assertThat(seen(gw.call("warm", "check", order))).as("saved warm").isEqualTo(3);
        assertThat(seen(gw.post(path + "/functions/check", args(order)))).isEqualTo(3);
        assertThat(seen(gw.post(path + "/functions/check", args(order)))).isEqualTo(4);
        json(gw.post(path + "/restore", null), 200);
        assertThat(seen(gw.post(path + "/functions/check", args(order)))).as("back to the save").isEqualTo(3);
        assertThat(gw.delete(path).statusCode()).isEqualTo(204);
    }

    @Test
    void aSessionIsRestoredAfterALoopOrHeapExhaustion() {
        String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "rules")), 201).getString("id");
        String path = "/v1/sessions/" + id + "/functions/";
        JsonObject order = new JsonObject().put("amount", 1);
        assertThat(seen(gw.post(path + "check", args(order)))).isEqualTo(1);
        assertThat(error(gw.post(path + "hog", null), 500, "GUEST_CRASHED").getString("message"))
                .contains("heap is exhausted").contains("the session was restored to its snapshot");
        assertThat(seen(gw.post(path + "check", args(order)))).isEqualTo(1);
        error(gw.post(path + "spin", new JsonObject().put("deadlineMs", 300)), 504, "DEADLINE_EXCEEDED");
        assertThat(seen(gw.post(path + "check", args(order)))).isEqualTo(1);
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
    }

    @Test
    void overWebSocketAndTheEventBus() {
        JsonObject call = new JsonObject().put("snapshot", "rules").put("function", "check")
                .put("args", new JsonArray().add(new JsonObject().put("amount", 7).put("items", new JsonArray())));
        Message<JsonObject> reply = gw.gateway().vertx().eventBus().<JsonObject>request(Addresses.CALL, call)
                .timeout(ANSWER_S, SECONDS).await();
        assertThat(reply.body().getValue("result")).isEqualTo(new JsonObject().put("ok", true).put("seen", 1)
                .put("items", 0));

        WebSocketClient client = gw.clients().createWebSocketClient();
        WebSocket ws = client.connect(gw.gateway().port(), "127.0.0.1", "/v1/ws").timeout(ANSWER_S, SECONDS).await();
        Promise<String> answer = Promise.promise();
        ws.textMessageHandler(answer::tryComplete);
        ws.writeTextMessage(call.copy().put("id", 1).encode());
        assertThat(new JsonObject(answer.future().timeout(ANSWER_S, SECONDS).await()).getJsonObject("result")
                .getInteger("seen")).isEqualTo(1);
        ws.close().timeout(ANSWER_S, SECONDS).await();
        client.close().timeout(ANSWER_S, SECONDS).await();
    }

    @Test
    void sizesAreSetPerDeployCheckedAndRecorded() {
        long script = json(gw.get("/v1/snapshots/rules"), 200).getLong("memoryBytes");
        long bigger = json(gw.deployScript("tag=roomy&heap=32MiB&stack=2MiB", RULES), 201).getLong("memoryBytes");
        assertThat(bigger - script).isEqualTo((16 << 20) + (1 << 20));
        long elf = json(gw.get("/v1/snapshots/hello"), 200).getLong("memoryBytes");
        long elfStack = json(gw.post("/v1/snapshots?tag=hello-stack&stack=256KiB",
                Buffer.buffer(ExampleGuests.elf("hello"))), 201).getLong("memoryBytes");
        assertThat(elfStack - elf).as("ELF defaults unchanged, the stack grown").isEqualTo(128 << 10);
        assertThat(result(gw.call("hello-stack", "add", 2, 3))).isEqualTo(5);

        assertThat(error(gw.deployScript("tag=x&heap=12345", RULES), 400, "BAD_REQUEST").getString("message"))
                .isEqualTo("heap=12345: a size must be a multiple of 4KiB (4096 bytes)");
        assertThat(error(gw.deployScript("tag=x&stack=lots", RULES), 400, "BAD_REQUEST").getString("message"))
                .isEqualTo("stack=lots: expected a size such as 65536, 64KiB or 16MiB");
        assertThat(error(gw.deployScript("tag=x&output=4GiB", RULES), 400, "BAD_REQUEST").getString("message"))
                .isEqualTo("output=4GiB: more than this node's maxGuestMemory of 1GiB");
        assertThat(error(gw.deployScript("tag=x&heap=1GiB", RULES), 400, "BAD_REQUEST").getString("message"))
                .startsWith("the guest's memory would be ").endsWith("more than this node's maxGuestMemory of 1GiB");
        assertThat(error(gw.deployScript("tag=x&input=4KiB", "//" + "x".repeat(5000)), 400, "BAD_REQUEST")
                .getString("message")).startsWith("input=4KiB is too small for the script of 5002 bytes");
        error(gw.deployScript("tag=x&heap=4KiB", RULES), 422, "INVALID_GUEST");
    }

    @Test
    void aScriptMustBeUtf8() {
        var response = gw.client().post("/v1/snapshots?tag=x").putHeader("Content-Type", "text/javascript")
                .sendBuffer(Buffer.buffer(new byte[] {'/', '/', (byte) 0xC3, '('})).await();
        assertThat(error(response, 400, "BAD_REQUEST").getString("message"))
                .startsWith("script: invalid UTF-8 at byte 2");
    }
}
