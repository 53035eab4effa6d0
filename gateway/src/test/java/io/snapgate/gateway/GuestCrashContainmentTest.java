package io.snapgate.gateway;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's reproducer through REST: a guest that arms the debug registers crashes Unicorn 2.0.1. The node stays
 * up, the caller gets GUEST_CRASHED saying the emulator failed on the guest's code, a call running on the other
 * worker never notices, the next call of the same snapshot works, and a session whose sandbox went with the
 * crashed emulator process says so until it is closed.
 */
class GuestCrashContainmentTest {

    private static void requireEmulated(TestGateway gw) {
        assumeTrue("emulated".equals(json(gw.get("/health"), 200).getString("backend")),
                "the emulated backend's containment (KVM contains a guest's #DB itself)");
    }

    /** The crash, with the longest deadline: Unicorn zeroes its 1 GiB translation buffer first (seconds when busy). */
    private static String crashMessage(TestGateway gw) {
        JsonObject crash = error(gw.post("/v1/snapshots/testguest/functions/arm_debug_registers",
                new JsonObject().put("deadlineMs", 30_000)), 500, "GUEST_CRASHED");
        assertThat(crash.getString("message")).contains("call to arm_debug_registers: the emulator failed on the"
                + " guest's code").contains("the emulator process (pid ");
        return crash.getString("message");
    }

    @Test
    void aCallOnTheOtherWorkerNeverNoticesAndTheNextCallWorks() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.WORKERS, "2"))) {
            requireEmulated(gw);
            CompletableFuture<HttpResponse<Buffer>> busy = CompletableFuture.supplyAsync(
                    () -> gw.call("testguest", "spin_for_ms", 1500));
            Thread.sleep(300); // spinning on one worker: the crash goes to the idle one
            crashMessage(gw);
            assertThat(((Number) result(busy.get(30, TimeUnit.SECONDS))).longValue()).isPositive();

            assertThat(json(gw.get("/health"), 200).getString("status")).isEqualTo("UP");
            for (int i = 0; i < 4; i++) {
                assertThat(result(gw.call("testguest", "echo_i32", i))).isEqualTo(i);
                assertThat(result(gw.call("hello", "greet", "again"))).isEqualTo("Hello, again!");
            }
        }
    }

    @Test
    void aSessionLostWithItsEmulatorSaysSoUntilClosed() {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.WORKERS, "1"))) {
            requireEmulated(gw);
            String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "hello")), 201)
                    .getString("id");
            assertThat(result(sessionCall(gw, id, "count", 2))).isEqualTo(2);

            crashMessage(gw);

            for (int i = 0; i < 2; i++) {
                assertThat(error(sessionCall(gw, id, "count", 1), 500, "GUEST_CRASHED").getString("message"))
                        .contains("the sandbox was lost with the process that ran it");
            }
            assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
            String next = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "hello")), 201)
                    .getString("id");
            assertThat(result(sessionCall(gw, next, "count", 3))).isEqualTo(3);
            assertThat(result(gw.call("testguest", "echo_i32", 7))).isEqualTo(7);
        }
    }

    /**
     * Issue 13's reproducer with deadlines short and long, on a node of one worker: the debug-register crash takes
     * Unicorn seconds (it zeroes its 1 GiB translation buffer first), so some of these calls are stopped at their
     * deadline and the process killed a second later, others crash first. Either way the worker serves the next
     * call within that call's default deadline, every time.
     */
    @Test
    void theWorkerServesTheNextCallAfterEachCrashOrStop() {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.WORKERS, "1"))) {
            requireEmulated(gw);
            for (int deadline : new int[] {50, 300, 1000, 2000, 50, 300, 1000, 2000}) {
                HttpResponse<Buffer> crash = gw.post("/v1/snapshots/testguest/functions/arm_debug_registers",
                        new JsonObject().put("deadlineMs", deadline));
                assertThat(crash.statusCode()).as("%s", crash.bodyAsString()).isIn(500, 504);
                assertThat(result(gw.call("hello", "greet", "again"))).isEqualTo("Hello, again!");
            }
        }
    }

    private static HttpResponse<Buffer> sessionCall(TestGateway gw, String id, String function, Object... args) {
        return gw.post("/v1/sessions/" + id + "/functions/" + function,
                new JsonObject().put("args", new JsonArray(List.of(args))));
    }
}
