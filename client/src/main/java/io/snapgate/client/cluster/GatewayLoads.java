package io.snapgate.client.cluster;

import io.snapgate.client.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway nodes of the cluster as their {@link LoadReport}s on {@code snapgate.load} tell them, each with when it
 * was last heard: a node not heard from for {@link #STALE_MS} ms, or {@linkplain #forget forgotten} (it left), is
 * not live. Gateways route by it; the typed client picks the node to send to from it. Thread-safe.
 */
public final class GatewayLoads {
    /** Three missed reports (a gateway publishes every 200 ms) and then some: a node that stopped is not offered. */
    public static final long STALE_MS = 3_000;

    /** A node's latest report and when it arrived ({@link System#nanoTime()}). */
    public record Heard(LoadReport report, long heardNanos) {
        public String node() {
            return report.node();
        }

        public double load() {
            return report.load();
        }
    }

    private final Map<String, Heard> heard = new ConcurrentHashMap<>();
    private final MessageConsumer<JsonObject> consumer;

    /** Starts listening on {@code vertx}'s event bus; completes {@link #ready} once registered. */
    public GatewayLoads(Vertx vertx) {
        consumer = vertx.eventBus().consumer(Addresses.LOAD, m -> {
            LoadReport report = m.body() == null ? null : LoadReport.fromJson(m.body());
            if (report != null) {
                heard.put(report.node(), new Heard(report, System.nanoTime()));
            }
        });
    }

    /** Completes when the cluster knows this listener. */
    public Future<Void> ready() {
        return consumer.completion();
    }

    /** The node's latest report, unless stale or forgotten. */
    public Optional<Heard> live(String node) {
        Heard h = heard.get(node);
        return h == null || stale(h, System.nanoTime()) ? Optional.empty() : Optional.of(h);
    }

    /** Every live node's latest report, in no particular order. */
    public List<Heard> live() {
        long now = System.nanoTime();
        return heard.values().stream().filter(h -> !stale(h, now)).toList();
    }

    /** Drops a node that left; a report it sent before leaving and that arrives later brings it back until stale. */
    public void forget(String node) {
        heard.remove(node);
    }

    public Future<Void> close() {
        return consumer.unregister();
    }

    private static boolean stale(Heard h, long now) {
        return now - h.heardNanos() > STALE_MS * 1_000_000;
    }
}
