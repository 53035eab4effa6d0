package io.snapgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Fair admission: one tenant (the snapshot testguest) floods the node with slow calls on more connections than the
 * node has places, another (hello) sends a steady trickle of cheap calls; the trickle is not shut out. Success
 * ratio only: latency is measured by scripts/loadtest.sh (BENCHMARKS.md).
 */
class FloodAndTrickleTest {
    private static final int FLOOD_CONNECTIONS = 200; // three times the node's places: 2 workers + 64 queued
    private static final int TRICKLE_CALLS = 100;

    @Test
    void aTrickleOfCheapCallsSucceedsWhileAnotherTenantFloodsTheNode() {
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.MAX_QUEUE, "64"))) {
            Vertx vertx = gw.clients();
            WebClientOptions options = new WebClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gw.gateway().port());
            WebClient flood = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(FLOOD_CONNECTIONS));
            WebClient trickle = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(1));
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger floodOk = new AtomicInteger();
            AtomicInteger floodRefused = new AtomicInteger();
            List<Future<Void>> floods = new ArrayList<>();
            for (int c = 0; c < FLOOD_CONNECTIONS; c++) {
                floods.add(loop(vertx, flooding, () -> flood.post("/v1/snapshots/testguest/functions/spin_for_ms")
                        .sendBuffer(Buffer.buffer("{\"args\": [20]}")).map(r -> {
                            (r.statusCode() == 200 ? floodOk : floodRefused).incrementAndGet();
                            return r.statusCode() == 503 ? 20L : 0L; // a hostile client, barely pausing
                        })));
            }
            vertx.timer(500).await(); // the flood fills the node first
            int refusedBefore = floodRefused.get();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < TRICKLE_CALLS; i++) {
                HttpResponse<Buffer> answer = trickle.post("/v1/snapshots/hello/functions/greet")
                        .sendBuffer(Buffer.buffer("{\"args\": [\"trickle\"]}")).await();
                statuses.add(answer.statusCode());
                vertx.timer(10).await();
            }
            int refusedDuring = floodRefused.get() - refusedBefore;
            flooding.set(false);
            Future.all(floods).await();
            long ok = statuses.stream().filter(s -> s == 200).count();
            assertThat(refusedDuring).as("the flood was refused while the trickle ran: the node was saturated")
                    .isPositive();
            assertThat(floodOk.get()).as("the flood's calls still ran").isPositive();
            assertThat(ok).as("trickle answers: %s", statuses).isGreaterThanOrEqualTo(TRICKLE_CALLS * 99 / 100);
            assertThat(gw.get("/metrics").bodyAsString())
                    .containsPattern("snapgate_admission_refused_total\\{reason=\"tenant_share\"} [1-9]");
            flood.close();
            trickle.close();
        }
    }

    /** Sends one request after another until {@code running} is cleared, pausing as each answer says (ms). */
    private static Future<Void> loop(Vertx vertx, AtomicBoolean running, Supplier<Future<Long>> send) {
        Promise<Void> done = Promise.promise();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (!running.get()) {
                done.complete();
                return;
            }
            send.get().onComplete(ar -> {
                long pause = ar.succeeded() ? ar.result() : 20;
                if (pause == 0) {
                    next[0].run();
                } else {
                    vertx.setTimer(pause, id -> next[0].run());
                }
            });
        };
        vertx.runOnContext(v -> next[0].run());
        return done.future();
    }
}
