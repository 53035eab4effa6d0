package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hostile.c over REST, stateless and in a session, with attempts every backend answers alike (the whole list runs
 * in vmm-worker's HostileGuestTest): each gets its JSON error, /health stays 200, and the next calls to the same
 * snapshot, the same session and another snapshot answer as on a fresh node.
 */
class HostileGuestRoutesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    /** An attempt, the status and error code it must get (null: a result), and its request body. */
    private record Attempt(String function, int status, String code, JsonObject body) {
        Attempt(String function, int status, String code, Object... args) {
            this(function, status, code, new JsonObject().put("args", new JsonArray(List.of(args))));
        }
    }

    private static final List<Attempt> ATTEMPTS = List.of(
            new Attempt("exec_heap", 500, "GUEST_CRASHED"), // W^X
            new Attempt("smash_own_stack", 500, "GUEST_CRASHED", 0x4141_4141_4141_4141L),
            new Attempt("load_idt", 500, "GUEST_CRASHED", 0, 0xFFF, true), // KVM: an emulation failure
            new Attempt("iretq_frame", 500, "GUEST_CRASHED", 0xDEAD_BEEFL, 0xDEAD, 0xFFFF_FFFFL, 0xDEAD, 0xDEAD),
            new Attempt("forge_result", 500, "GUEST_CRASHED", 0xFFFF_FFFFL, "AA=="),
            new Attempt("huge_result", 422, "GUEST_ERROR", 70_000),
            new Attempt("cli_spin", 504, "DEADLINE_EXCEEDED", new JsonObject().put("args", new JsonArray())
                    .put("deadlineMs", 300)),
            new Attempt("write_control_page", 200, null, "18446744073709551615"));

    private static String fresh;

    @BeforeAll
    static void uploadTheHostileGuest() {
        json(gw.post("/v1/snapshots?tag=hostile", Buffer.buffer(ExampleGuests.elf("hostile"))), 201);
        fresh = (String) result(gw.call("hostile", "fingerprint"));
    }

    private static HttpResponse<Buffer> answer(String path, Attempt attempt) {
        HttpResponse<Buffer> response = gw.post(path + attempt.function(), attempt.body());
        if (attempt.code() == null) {
            json(response, attempt.status());
        } else {
            error(response, attempt.status(), attempt.code());
        }
        return response;
    }

    @Test
    void statelessCallsAreAnsweredAndLeaveNothingBehind() {
        for (Attempt attempt : ATTEMPTS) {
            answer("/v1/snapshots/hostile/functions/", attempt);

            assertThat(gw.get("/health").statusCode()).as("after %s", attempt.function()).isEqualTo(200);
            assertThat(result(gw.call("hostile", "fingerprint"))).as("after %s", attempt.function()).isEqualTo(fresh);
            assertThat(result(gw.call("testguest", "roundtrip_f64", 1.5))).isEqualTo(1.5);
        }
    }

    @Test
    void aSessionIsRestoredAfterEachCrashAndLeftAsFresh() {
        String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "hostile")), 201).getString("id");
        String path = "/v1/sessions/" + id + "/functions/";
        for (Attempt attempt : ATTEMPTS) {
            HttpResponse<Buffer> response = answer(path, attempt);
            if (attempt.status() == 500) {
                assertThat(response.bodyAsString()).contains("the session was restored to its snapshot");
            }
            assertThat(result(gw.post(path + "fingerprint", new JsonObject().put("args", new JsonArray()))))
                    .as("the session after %s", attempt.function()).isEqualTo(fresh);
        }
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
    }
}
