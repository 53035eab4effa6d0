package io.snapgate.client;

import io.snapgate.client.cluster.GatewayLoads;
import io.snapgate.client.cluster.NodeGone;
import io.snapgate.client.cluster.NodeRequests;
import io.snapgate.client.wire.Addresses;
import io.snapgate.client.wire.Authorization;
import io.snapgate.client.wire.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the client's requests to a gateway. In a clustered Vert.x it picks the node itself, round robin over the
 * gateways heard on {@code snapgate.load} (or the node a session lives on), and sends to that node's own address:
 * so when the node dies (a gateway publishes it on {@code snapgate.left}, about a second after a kill) or stops
 * taking requests, the request goes once more to another node instead of waiting out its timeout, as a gateway
 * does with the calls it forwards. With no gateway heard yet (the first 200 ms), and in a Vert.x that is not
 * clustered, it sends to the shared address and the event bus picks.
 */
final class Requests {
    /** Time for an answer beyond the deadline the gateway was given. */
    static final long MARGIN_MS = 1_000;
    private static final String DEADLINE = "deadlineMs";

    private final Vertx vertx;
    private final GatewayLoads gateways;
    private final NodeRequests nodes;
    private final String authorization;
    private final MessageConsumer<JsonObject> departures;
    private final AtomicInteger next = new AtomicInteger();

    /** {@code token}: sent with every request as {@code Authorization: Bearer <token>}; null for none. */
    Requests(Vertx vertx, String token) {
        this.vertx = vertx;
        this.authorization = token == null ? null : Authorization.bearer(token);
        if (vertx.isClustered()) {
            gateways = new GatewayLoads(vertx);
            nodes = new NodeRequests(vertx);
            departures = vertx.eventBus().consumer(Addresses.LEFT, m -> {
                Object node = m.body() == null ? null : m.body().getValue("node");
                if (node instanceof String gone) {
                    gateways.forget(gone);
                    nodes.nodeLeft(gone);
                }
            });
        } else {
            gateways = null;
            nodes = null;
            departures = null;
        }
    }

    /**
     * The answer of a gateway to {@code body} at front {@code address}, within {@code timeoutMs}; sent to
     * {@code preferred} when it is a live gateway (null: any). A body with a {@code deadlineMs} sent again gets what
     * is left of it.
     */
    Future<JsonObject> send(String address, JsonObject body, String preferred, long timeoutMs) {
        return send(address, body, preferred, System.nanoTime() + timeoutMs * 1_000_000, null);
    }

    private Future<JsonObject> send(String address, JsonObject body, String preferred, long deadline, NodeGone again) {
        String node = pick(preferred, again == null ? null : again.node());
        long remainingMs = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000); // rounded up
        JsonObject sent = body;
        if (again != null) {
            if (node == null) {
                return Future.failedFuture(new SnapgateException(ErrorCode.UNAVAILABLE, again.getMessage()
                        + " and no other gateway is live"));
            }
            if (body.containsKey(DEADLINE)) {
                long left = remainingMs - MARGIN_MS;
                if (left < 1) {
                    return Future.failedFuture(new SnapgateException(ErrorCode.DEADLINE_EXCEEDED, again.getMessage()
                            + ", and the deadline passed before the request could be sent again"));
                }
                sent = body.copy().put(DEADLINE, left);
            }
        }
        if (node == null) {
            return shared(address, sent, remainingMs);
        }
        return nodes.request(node, Addresses.onNode(address, node), sent, options(), remainingMs).recover(t -> {
            if (!(t instanceof NodeGone gone)) {
                return Future.failedFuture(t);
            }
            if (again != null) {
                return Future.failedFuture(new SnapgateException(ErrorCode.UNAVAILABLE, again.getMessage()
                        + ", and so did node " + gone.node() + ", where the request was sent again"));
            }
            return send(address, body, null, deadline, gone);
        });
    }

    /** {@code preferred} when live, else the next live gateway but {@code except}; null when none is known. */
    private String pick(String preferred, String except) {
        if (gateways == null) {
            return null;
        }
        if (preferred != null && !preferred.equals(except) && gateways.live(preferred).isPresent()) {
            return preferred;
        }
        List<GatewayLoads.Heard> live = gateways.live().stream().filter(h -> !h.node().equals(except)).toList();
        return live.isEmpty() ? null : live.get(Math.floorMod(next.getAndIncrement(), live.size())).node();
    }

    /** At the shared address: the event bus picks the gateway, and no node's departure is noticed. */
    private Future<JsonObject> shared(String address, JsonObject body, long timeoutMs) {
        return vertx.eventBus().<JsonObject>request(address, body, options().setSendTimeout(timeoutMs))
                .map(m -> m.body())
                .recover(t -> Future.failedFuture(t instanceof ReplyException reply
                        ? translate(address, reply, timeoutMs) : t));
    }

    /** A request's options: the token's header, when the client has one. */
    private DeliveryOptions options() {
        DeliveryOptions options = new DeliveryOptions();
        return authorization == null ? options : options.addHeader(Authorization.HEADER, authorization);
    }

    private static SnapgateException translate(String address, ReplyException reply, long timeoutMs) {
        return switch (reply.failureType()) {
            case RECIPIENT_FAILURE -> Failures.of(reply);
            case NO_HANDLERS -> new SnapgateException(ErrorCode.UNAVAILABLE, "no snapgate gateway takes requests at "
                    + address + " (is this Vert.x in the gateways' cluster?)");
            case TIMEOUT -> new SnapgateException(ErrorCode.DEADLINE_EXCEEDED, "no gateway answered within "
                    + timeoutMs + " ms");
            case ERROR -> new SnapgateException(ErrorCode.UNAVAILABLE, "the request could not reach a gateway: "
                    + reply.getMessage());
        };
    }

    Future<Void> close() {
        if (gateways == null) {
            return Future.succeededFuture();
        }
        return Future.join(gateways.close(), departures.unregister()).mapEmpty();
    }
}
