package io.snapgate.gateway.worker;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.dispatch.HeldRefusals;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One worker and a queue of one: deadlines, overload and recovery are deterministic. */
class SingleWorkerTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.WORKERS, "1", ConfigKey.MAX_QUEUE, "1",
            ConfigKey.DEFAULT_DEADLINE_MS, "1000", ConfigKey.MAX_DEADLINE_MS, "1500"));

    @BeforeAll
    static void warm() {
        result(gw.call("testguest", "noop")); // the first call loads the snapshot and maps a sandbox
    }

    private static Future<HttpResponse<Buffer>> callAsync(String function, long deadlineMs, Object... args) {
        return gw.client().post("/v1/snapshots/testguest/functions/" + function)
                .sendJsonObject(new JsonObject().put("args", new JsonArray(java.util.List.of(args)))
                        .put("deadlineMs", deadlineMs));
    }

    @Test
    void spinPastTheDeadlineIs504AndTheWorkerServesTheNextCall() {
        long start = System.nanoTime();
        error(callAsync("spin", 200).await(), 504, "DEADLINE_EXCEEDED");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 1_000L);
        assertThat(result(gw.call("testguest", "echo_i32", 7))).isEqualTo(7);
        assertThat(result(gw.call("testguest", "get_static"))).isEqualTo(0);
    }

    @Test
    void deadlinesAreCappedByTheConfiguredMaximum() {
        long start = System.nanoTime();
        error(callAsync("spin", 60_000).await(), 504, "DEADLINE_EXCEEDED");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_400L, 3_000L);
        assertThat(result(gw.call("testguest", "noop"))).isNull();
    }

    /**
     * A refusal is held for the refusal delay (a client retrying at once cannot flood the event loops with
     * refusals), but never past the call's deadline, and never until the call ahead of it ends: an order, not a time.
     */
    @Test
    void overloadIs503WithRetryAfterHeldForTheRefusalDelayThenTheGatewayRecovers() {
        Future<HttpResponse<Buffer>> running = callAsync("spin_for_ms", 1_500, 1_200); // the cap is 1.5 s
        sleep(150); // the worker has taken it
        Future<HttpResponse<Buffer>> queued = callAsync("echo_i32", 1_500, 1);
        sleep(100);
        long start = System.nanoTime();
        Future<HttpResponse<Buffer>> patient = callAsync("echo_i32", 1_500, 2);
        Future<HttpResponse<Buffer>> hurried = callAsync("echo_i32", 20, 3);
        error(hurried.await(), 503, "OVERLOADED");
        assertThat(patient.isComplete()).as("the call with the sooner deadline refused first, by its deadline")
                .isFalse();
        HttpResponse<Buffer> refused = patient.await();
        assertThat((System.nanoTime() - start) / 1_000_000).as("held for the refusal delay")
                .isGreaterThanOrEqualTo(HeldRefusals.DELAY_MS);
        error(refused, 503, "OVERLOADED");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(running.isComplete()).as("both refusals answered while the long call still runs").isFalse();

        assertThat(result(running.await())).isNotNull();
        assertThat(result(queued.await())).isEqualTo(1);
        assertThat(result(gw.call("testguest", "echo_i32", 3))).isEqualTo(3);
    }

    @Test
    void aCallQueuedBehindALongOneGets504ByItsOwnDeadline() {
        Future<HttpResponse<Buffer>> running = callAsync("spin_for_ms", 1_500, 1_200); // the cap is 1.5 s
        sleep(100);
        error(callAsync("echo_i32", 200, 1).await(), 504, "DEADLINE_EXCEEDED");
        // Answered by its own deadline, not after the call ahead of it (which spins for 1.2 s): an order, not a time.
        assertThat(running.isComplete()).as("the long call is still running").isFalse();
        assertThat(result(running.await())).isNotNull();
        assertThat(result(gw.call("testguest", "echo_i32", 4))).isEqualTo(4);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
