package io.snapgate.gateway.worker;

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

/** Every job a worker serves (calls, crashes, sessions, builds) runs on the one OS thread it owns. */
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
            gw.post("/v1/sessions", new JsonObject().put("snapshot", "hello"));

            Set<Long> threads = new HashSet<>();
            for (Worker w : gw.gateway().workers()) {
                assertThat(w.served()).as("worker %d served calls", w.index()).isPositive();
                assertThat(w.threadIds()).as("threads of worker %d", w.index()).hasSize(1);
                threads.addAll(w.threadIds());
            }
            assertThat(threads).as("one thread per worker").hasSize(gw.gateway().workers().size());
        }
    }
}
