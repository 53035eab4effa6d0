package io.snapgate.gateway.eventbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.CallResult;
import io.snapgate.client.ErrorCode;
import io.snapgate.client.FunctionInfo;
import io.snapgate.client.Session;
import io.snapgate.client.SnapgateClient;
import io.snapgate.client.SnapgateException;
import io.snapgate.client.SnapshotInfo;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The typed client inside the gateway's own Vert.x (not clustered): Java values in and out through the guest,
 * sessions, snapshots, and failures as SnapgateExceptions with the REST API's codes and details.
 */
class SnapgateClientTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static SnapgateClient client() {
        return SnapgateClient.create(gw.gateway().vertx());
    }

    private static CallResult call(String function, Object... args) {
        return client().call("testguest", function, args).await();
    }

    @Test
    void javaValuesReachTheGuestAndComeBackAsTheirTypes() {
        assertThat(call("echo_i32", -7).asInt()).isEqualTo(-7);
        assertThat(call("echo_u32", 4_294_967_295L).asLong()).isEqualTo(4_294_967_295L);
        assertThat(call("echo_i64", Long.MIN_VALUE).asLong()).isEqualTo(Long.MIN_VALUE);
        BigInteger u64max = new BigInteger("18446744073709551615");
        assertThat(call("echo_u64", u64max).asBigInteger()).isEqualTo(u64max);
        assertThat(call("echo_f32", 1.5f).asDouble()).isEqualTo(1.5);
        assertThat(call("echo_f64", Double.NaN).asDouble()).isNaN();
        assertThat(call("echo_f64", Double.NEGATIVE_INFINITY).asDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(call("echo_bool", true).asBoolean()).isTrue();
        assertThat(call("echo_string", "😀 snapgate").asString()).isEqualTo("😀 snapgate");
        assertThat(call("echo_bytes", new byte[] {0, (byte) 0xff, 7}).asBytes()).containsExactly(0, 0xff, 7);
        assertThat(call("noop").isNull()).isTrue();
        assertThat(client().call(Duration.ofSeconds(2), "hello", "greet", "client").await().asString())
                .isEqualTo("Hello, client!");
    }

    @Test
    void jsonValuesGoInAndComeOutOfAJavaScriptFunction() {
        assertThat(gw.deployScript("tag=client-js", "exports.add = function (a, b) {\n"
                + "  return {sum: a.x + b.x, tags: [a.tag, b.tag]};\n};\n"
                + "exports.echo = function (value) { return value; };").statusCode()).isEqualTo(201);
        CallResult sum = client().call("client-js", "add", new JsonObject().put("x", 40).put("tag", "object"),
                Map.of("x", 2, "tag", "map")).await();
        assertThat(sum.asJsonObject()).isEqualTo(new JsonObject().put("sum", 42)
                .put("tags", new JsonArray().add("object").add("map")));
        JsonArray array = new JsonArray().add(1).add(new JsonObject().putNull("n")).add(new JsonArray().add("nested"));
        assertThat(client().call("client-js", "echo", array).await().asJsonArray()).isEqualTo(array);
        assertThat(client().call("client-js", "echo", "<text>").await().asString()).isEqualTo("<text>");
        assertThat(client().call("client-js", "echo", 1.5).await().asDouble()).isEqualTo(1.5);
        assertThat(client().call("client-js", "echo", true).await().asBoolean()).isTrue();
        assertThat(client().call("client-js", "echo", (Object) null).await().isNull()).isTrue();
        assertThat(failure(client().call("client-js", "add", Map.of())).code()).as("one argument of two")
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(gw.delete("/v1/snapshots/client-js").statusCode()).isEqualTo(204);
    }

    @Test
    void aSessionKeepsItsStateIsRestoredSavedAndClosed() {
        Session session = client().openSession("hello").await();
        assertThat(session.functions()).extracting(FunctionInfo::name).contains("count", "greet");
        assertThat(session.call("count", 2).await().asInt()).isEqualTo(2);
        assertThat(session.call(Duration.ofSeconds(1), "count", 2).await().asInt()).isEqualTo(4);
        session.restore().await();
        assertThat(session.call("count", 3).await().asInt()).isEqualTo(3);
        SnapshotInfo saved = session.saveAs("counted-by-client").await();
        assertThat(saved.tags()).containsExactly("counted-by-client");
        assertThat(client().call("counted-by-client", "count", 1).await().asInt()).as("starts from the saved state")
                .isEqualTo(4);
        session.close().await();
        SnapgateException gone = failure(session.call("count", 1));
        assertThat(gone.code()).isEqualTo(ErrorCode.UNKNOWN_SESSION);
        assertThat(gone.getMessage()).contains(session.id());
    }

    @Test
    void snapshotsAreListedAndDescribedWithTheirFunctions() {
        List<SnapshotInfo> all = client().snapshots().await();
        assertThat(all).flatExtracting(SnapshotInfo::tags).contains("hello", "testguest");
        SnapshotInfo hello = client().snapshot("hello").await();
        assertThat(hello.digest()).startsWith("sha256:");
        assertThat(hello.memoryBytes()).isPositive();
        assertThat(hello.functions()).contains(new FunctionInfo("add", List.of("i32", "i32"), "i32",
                "add(i32, i32) -> i32"));
        assertThat(hello.json().getString("createdBy")).isNotBlank();
        assertThat(client().call(hello.digest(), "add", 40, 2).await().asInt()).as("called by digest").isEqualTo(42);
    }

    @Test
    void failuresCarryTheRestApisCodeMessageAndDetails() {
        JsonObject rest = gw.call("hello", "add", 1, "two").bodyAsJsonObject().getJsonObject("error");
        SnapgateException invalid = failure(client().call("hello", "add", 1, "two"));
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(invalid.toJson()).as("the same error as REST").isEqualTo(rest);
        assertThat(invalid.details().getInteger("argument")).isEqualTo(1);

        SnapgateException unknown = failure(client().call("hello", "nope"));
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_FUNCTION);
        assertThat(unknown.details().getJsonArray("functions")).isNotEmpty();
        assertThat(failure(client().call("nope", "f")).code()).isEqualTo(ErrorCode.UNKNOWN_SNAPSHOT);
        assertThat(failure(client().call(Duration.ofMillis(100), "testguest", "spin")).code())
                .isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(failure(client().call("testguest", "invalid_instruction")).code())
                .isEqualTo(ErrorCode.GUEST_CRASHED);
        SnapgateException guest = failure(client().call("testguest", "add_to_static_and_fail", 1));
        assertThat(guest.code()).isEqualTo(ErrorCode.GUEST_ERROR);
        assertThat(guest.details().getString("guestMessage")).isNotBlank();
        assertThat(failure(client().openSession("nope")).status()).isEqualTo(404);
    }

    static SnapgateException failure(Future<?> request) {
        Throwable t = request.transform(ar -> Future.succeededFuture(ar.cause())).await();
        assertThat(t).isInstanceOf(SnapgateException.class);
        return (SnapgateException) t;
    }
}
