package io.snapgate.client.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.SnapgateException;
import io.snapgate.client.wire.Failures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests sent to particular gateway nodes, remembered until answered: Vert.x's event bus keeps waiting for the
 * reply of a node that died until the request times out, so when a node leaves ({@link #nodeLeft}) its requests
 * fail at once with {@link NodeGone}. A request fails with the gateway's {@link SnapgateException}, with
 * {@link NodeGone} when the node no longer takes requests or the link to it broke, or with
 * {@code DEADLINE_EXCEEDED} when no answer came within the time given. Thread-safe.
 */
public final class NodeRequests {
    private record Pending(Promise<JsonObject> promise, Context context) {
    }

    private final Vertx vertx;
    private final Map<String, Set<Pending>> pending = new ConcurrentHashMap<>();

    public NodeRequests(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Sends {@code body} to {@code address}, served by {@code node}; waits at most {@code timeoutMs}. */
    public Future<JsonObject> request(String node, String address, JsonObject body, long timeoutMs) {
        return request(node, address, body, new DeliveryOptions(), timeoutMs);
    }

    /** The same, with {@code options} (such as headers); their send timeout is set to {@code timeoutMs}. */
    public Future<JsonObject> request(String node, String address, JsonObject body, DeliveryOptions options,
            long timeoutMs) {
        Pending p = new Pending(Promise.promise(), vertx.getOrCreateContext());
        Set<Pending> forNode = pending.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
        forNode.add(p);
        vertx.eventBus().<JsonObject>request(address, body, options.setSendTimeout(timeoutMs))
                .onComplete(ar -> {
                    forNode.remove(p);
                    if (ar.succeeded()) {
                        p.promise().tryComplete(ar.result().body());
                    } else {
                        p.promise().tryFail(translate(node, ar.cause()));
                    }
                });
        return p.promise().future();
    }

    /** Fails every request waiting on {@code node}, each on the context that sent it. */
    public void nodeLeft(String node) {
        Set<Pending> gone = pending.remove(node);
        if (gone != null) {
            gone.forEach(p -> p.context().runOnContext(v -> p.promise().tryFail(new NodeGone(node))));
        }
    }

    private static Throwable translate(String node, Throwable t) {
        if (!(t instanceof ReplyException reply)) {
            return t;
        }
        return switch (reply.failureType()) {
            case RECIPIENT_FAILURE -> Failures.of(reply);
            case NO_HANDLERS, ERROR -> new NodeGone(node); // no consumer there any more, or the link to it broke
            case TIMEOUT -> new SnapgateException(ErrorCode.DEADLINE_EXCEEDED, "node " + node
                    + " did not answer before the deadline");
        };
    }
}
