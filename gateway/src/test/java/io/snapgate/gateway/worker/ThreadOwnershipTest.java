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
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Every job a worker serves (calls, crashes, a session) runs on the one OS thread it owns, and nothing else does:
 * answers go back to the caller's thread.
 */
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

    /**
     * A job submitted from outside Vert.x (a shutdown from the main thread) is answered on an event loop: answered
     * on the worker's thread, the rest of a shutdown ran there, undeployed that worker from its own thread, and
     * Vert.x shut its pool down under the shutdown, which then never finished.
     */
    @Test
    void aJobSubmittedFromOutsideVertxIsAnsweredOffTheWorkersThread() {
        try (TestGateway gw = TestGateway.start()) {
            CountDownLatch attached = new CountDownLatch(1);
            Future<Thread> ranOn = gw.gateway().workers().get(0).submit(Tenant.permanent("test", 1), null, state -> {
                awaitUninterruptibly(attached); // the job ends only once the continuation below is attached
                return Thread.currentThread();
            }, Worker.NO_DEADLINE, () -> { }, null);
            Future<List<Thread>> threads = ranOn.map(worker -> List.of(worker, Thread.currentThread()));
            attached.countDown();
            Thread worker = threads.await().get(0);
            Thread answeredOn = threads.await().get(1);
            assertThat(answeredOn).as("answered on the worker's own thread").isNotSameAs(worker);
            assertThat(answeredOn.getName()).startsWith("vert.x-eventloop-thread-");
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
