package io.snapgate.gateway.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Every node publishes its load (calls running or queued per worker) and HTTP URL on {@value #ADDRESS} every
 * {@value #PERIOD_MS} ms; this node keeps the latest of each. A node not heard from for {@value #STALE_MS} ms,
 * or gone from the cluster, is not offered.
 */
final class NodeLoads {
    static final String ADDRESS = "snapgate.load";
    private static final long PERIOD_MS = 200;
    private static final long STALE_MS = 3_000;

    /** What a node last said of itself. */
    record Load(String node, String url, double load, long heardNanos) {
    }

    private final Vertx vertx;
    private final Map<String, Load> loads = new ConcurrentHashMap<>();
    private MessageConsumer<JsonObject> consumer;
    private long timer = -1;

    NodeLoads(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(String self, String url, DoubleSupplier load) {
        consumer = vertx.eventBus().consumer(ADDRESS, m -> {
            JsonObject b = m.body();
            loads.put(b.getString("node"), new Load(b.getString("node"), b.getString("url"), b.getDouble("load"),
                    System.nanoTime()));
        });
        timer = vertx.setPeriodic(0, PERIOD_MS, id -> vertx.eventBus().publish(ADDRESS, new JsonObject()
                .put("node", self).put("url", url).put("load", load.getAsDouble())));
    }

    /** The node's latest load, unless stale. */
    Optional<Load> live(String node) {
        Load l = loads.get(node);
        return l == null || System.nanoTime() - l.heardNanos() > STALE_MS * 1_000_000 ? Optional.empty()
                : Optional.of(l);
    }

    void forget(String node) {
        loads.remove(node);
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (consumer != null) {
            consumer.unregister();
        }
    }
}
