package io.snapgate.gateway.session;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/sessions}: pinned sandboxes whose state lives between calls. */
class SessionRoutesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(
            Map.of(ConfigKey.MAX_SESSIONS, "3", ConfigKey.SESSION_TTL_SECONDS, "1"));

    private static String open(String snapshot) {
        JsonObject session = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", snapshot)), 201);
        assertThat(session.getString("snapshot")).startsWith("sha256:");
        assertThat(session.getJsonArray("functions")).isNotEmpty();
        return session.getString("id");
    }

    private static HttpResponse<Buffer> call(String id, String function, Object... args) {
        return gw.post("/v1/sessions/" + id + "/functions/" + function,
                new JsonObject().put("args", new JsonArray(java.util.List.of(args))));
    }

    @Test
    void stateStaysBetweenCallsUntilRestored() {
        String id = open("hello");
        assertThat(result(call(id, "count", 2))).isEqualTo(2);
        assertThat(result(call(id, "count", 2))).isEqualTo(4);
        json(gw.post("/v1/sessions/" + id + "/restore", null), 200);
        assertThat(result(call(id, "count", 1))).isEqualTo(1);
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
    }

    @Test
    void aSessionSavedAsASnapshotHandsItsStateToEverySandboxOfIt() {
        String id = open("hello");
        assertThat(result(call(id, "count", 2))).isEqualTo(2);
        assertThat(result(call(id, "count", 3))).isEqualTo(5);

        HttpResponse<Buffer> response = gw.post("/v1/sessions/" + id + "/snapshot?tag=counted", null);
        JsonObject saved = json(response, 201);
        assertThat(response.getHeader("Location")).isEqualTo("/v1/snapshots/counted");
        assertThat(saved.getString("digest")).startsWith("sha256:");
        assertThat(saved.getJsonArray("tags")).containsExactly("counted");
        assertThat(json(gw.get("/v1/snapshots/counted"), 200).getLong("generation")).isPositive();

        assertThat(result(gw.call("counted", "count", 1))).as("a stateless call starts from the saved state")
                .isEqualTo(6);
        assertThat(result(gw.call("counted", "count", 1))).as("and is restored to it after").isEqualTo(6);
        String other = open("counted");
        assertThat(result(call(other, "count", 10))).isEqualTo(15);

        assertThat(result(call(id, "count", 1))).as("the session goes on").isEqualTo(6);
        json(gw.post("/v1/sessions/" + id + "/restore", null), 200);
        assertThat(result(call(id, "count", 0))).as("a restore comes back to the saved state").isEqualTo(5);
        gw.delete("/v1/sessions/" + id);
        gw.delete("/v1/sessions/" + other);
        assertThat(gw.delete("/v1/snapshots/counted").statusCode()).isEqualTo(204);
    }

    @Test
    void savingASessionNeedsAGoodTagAndALiveSession() {
        String id = open("hello");
        error(gw.post("/v1/sessions/" + id + "/snapshot", null), 400, "BAD_REQUEST");
        error(gw.post("/v1/sessions/" + id + "/snapshot?tag=..x", null), 400, "BAD_REQUEST");
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
        error(gw.post("/v1/sessions/" + id + "/snapshot?tag=gone", null), 404, "UNKNOWN_SESSION");
        error(gw.get("/v1/snapshots/gone"), 404, "UNKNOWN_SNAPSHOT");
    }

    @Test
    void anEndedSessionIsUnknown() {
        String id = open("testguest");
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
        error(call(id, "noop"), 404, "UNKNOWN_SESSION");
        error(gw.delete("/v1/sessions/" + id), 404, "UNKNOWN_SESSION");
        error(gw.post("/v1/sessions", new JsonObject().put("snapshot", "nope")), 404, "UNKNOWN_SNAPSHOT");
        error(gw.post("/v1/sessions", new JsonObject().put("snap", "hello")), 400, "BAD_REQUEST");
    }

    @Test
    void callsAreCheckedLikeStatelessOnes() {
        String id = open("testguest");
        error(call(id, "echo_i32", "x"), 400, "INVALID_ARGUMENT");
        error(call(id, "nope"), 404, "UNKNOWN_FUNCTION");
        error(call(id, "add_to_static_and_fail", 1), 422, "GUEST_ERROR");
        assertThat(result(call(id, "get_static"))).as("a guest error keeps the session's state").isEqualTo(1);
        assertThat(error(call(id, "invalid_instruction"), 500, "GUEST_CRASHED").getString("message"))
                .contains("restored");
        assertThat(result(call(id, "get_static"))).as("a crash restores the session").isEqualTo(0);
        gw.delete("/v1/sessions/" + id);
    }

    @Test
    void theCapPerNodeIs503() {
        String[] ids = {open("hello"), open("hello"), open("hello")};
        HttpResponse<Buffer> refused = gw.post("/v1/sessions", new JsonObject().put("snapshot", "hello"));
        error(refused, 503, "OVERLOADED");
        assertThat(refused.getHeader("Retry-After")).isNotNull();
        for (String id : ids) {
            gw.delete("/v1/sessions/" + id);
        }
        gw.delete("/v1/sessions/" + open("hello"));
    }

    @Test
    void anIdleSessionExpires() throws InterruptedException {
        String id = open("hello");
        assertThat(result(call(id, "count", 1))).isEqualTo(1);
        Thread.sleep(2_500);
        error(call(id, "count", 1), 404, "UNKNOWN_SESSION");
    }
}
