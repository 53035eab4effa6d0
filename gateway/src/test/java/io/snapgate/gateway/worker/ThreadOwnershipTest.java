package io.snapgate.gateway.worker;

import static io.snapgate.gateway.testing.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every job a worker serves (calls, crashes, a session) runs on the one OS thread it owns. */
class ThreadOwnershipTest {
    @Test
    void everyCallAWorkerServesRunsOnTheSameThread() {
        try (TestGateway gw = TestGateway.start()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String function = i % 50 == 0 ? "invalid_instruction" : "echo_i32";
                JsonArray args = function.equals("echo_i32") ? new JsonArray().add(i) : new JsonArray();
                calls.add(gw.client().post("/v1/snapshots/testguest/functions/" + function)
                        .sendJsonObject(new JsonObject().put("args", args)));
            }
            Future.join(calls).await();
            assertThat(calls).allMatch(f -> f.succeeded());
            json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "hello")), 201);

            // The dispatcher prefers a worker that already holds the snapshot, so not every worker need serve.
            Set<Thread> threads = new HashSet<>();
            int serving = 0;
            for (Worker w : gw.gateway().workers()) {
                assertThat(w.strayJobs()).as("jobs of worker %d on another thread", w.index()).isZero();
                if (w.owner() != null) {
                    threads.add(w.owner());
                    serving++;
                }
            }
            assertThat(serving).as("workers that served").isPositive();
            assertThat(threads).as("one thread per serving worker, none shared").hasSize(serving);
        }
    }
}
