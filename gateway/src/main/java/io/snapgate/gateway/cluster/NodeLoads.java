package io.snapgate.gateway.cluster;

import io.snapgate.client.cluster.GatewayLoads;
import io.snapgate.client.cluster.LoadReport;
import io.snapgate.client.wire.Addresses;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Publishes this node's load (calls running or queued per worker) and HTTP URL on {@code snapgate.load} every
 * {@value #PERIOD_MS} ms once started, and keeps every node's latest ({@link GatewayLoads}, which clients of the
 * cluster read too).
 */
final class NodeLoads {
    private static final long PERIOD_MS = 200;

    private final Vertx vertx;
    private final GatewayLoads loads;
    private long timer = -1;

    NodeLoads(Vertx vertx) {
        this.vertx = vertx;
        this.loads = new GatewayLoads(vertx);
    }

    void start(String self, String url, DoubleSupplier load) {
        timer = vertx.setPeriodic(0, PERIOD_MS, id -> vertx.eventBus().publish(Addresses.LOAD,
                new LoadReport(self, url, load.getAsDouble()).toJson()));
    }

    /** The node's latest load, unless stale or gone. */
    Optional<GatewayLoads.Heard> live(String node) {
        return loads.live(node);
    }

    void forget(String node) {
        loads.forget(node);
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        loads.close();
    }
}
