package io.snapgate.gateway.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.cluster.NodeRequests;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.auth.BusAuth;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.eventbus.Replies;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Requests between nodes over the clustered event bus: each node takes stateless calls for its own workers at
 * {@code snapgate.node.<id>.call} and operations on its own sessions at {@code snapgate.node.<id>.session} (the
 * session messages of the client's wire). Requests sent to a node fail at once with {@code NodeGone} when it
 * leaves ({@link NodeRequests}), rather than at their deadline.
 */
final class RemoteCalls {
    /** Margin over the request's deadline for the reply to come back. */
    private static final long REPLY_MARGIN_MS = 1_000;

    private final Vertx vertx;
    private final NodeRequests requests;
    private final Optional<String> token;
    private List<MessageConsumer<JsonObject>> consumers = List.of();

    /** {@code token}: what this node sends with the session operations it forwards (none without tokens). */
    RemoteCalls(Vertx vertx, Optional<String> token) {
        this.vertx = vertx;
        this.token = token;
        this.requests = new NodeRequests(vertx);
    }

    private static String address(String node, String kind) {
        return "snapgate.node." + node + "." + kind;
    }

    /**
     * Takes the calls other nodes route here and the operations on this node's sessions, the latter with their
     * message headers (the token that may save a session).
     */
    void serve(String self, Dispatcher dispatcher, BiFunction<JsonObject, MultiMap, Future<JsonObject>> sessions) {
        consumers = List.of(
                vertx.eventBus().consumer(address(self, "call"), message -> Replies.answer(message, Replies.run(
                        () -> dispatcher.callHere(CallRequest.fromMessage(message.body(), Set.of()))
                                .map(CallResult::toJson)))),
                vertx.eventBus().consumer(address(self, "session"),
                        message -> Replies.answer(message, Replies.run(() -> sessions.apply(message.body(),
                                message.headers())))));
    }

    /** Sends the call (its snapshot named by digest) to {@code node}. */
    Future<CallResult> call(String node, CallRequest request, long deadline) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            return Future.failedFuture(new GatewayException(ErrorCode.DEADLINE_EXCEEDED,
                    "the deadline passed before the call could be sent to node " + node));
        }
        JsonObject message = Messages.call(request.snapshot(), request.function(), request.args(), remainingMs);
        return requests.request(node, address(node, "call"), message, remainingMs + REPLY_MARGIN_MS)
                .map(body -> new CallResult(body.getValue("result"), body.getLong("durationMicros")));
    }

    /**
     * Sends a session operation ({@link Messages}) to the node that owns the session, with this node's token: the
     * request's own scope was checked here, and the owner checks the token's again (a save needs deploy).
     */
    Future<JsonObject> session(String node, JsonObject op, long timeoutMs) {
        DeliveryOptions options = new DeliveryOptions();
        token.ifPresent(t -> options.addHeader(BusAuth.HEADER, "Bearer " + t));
        return requests.request(node, address(node, "session"), op, options, timeoutMs + REPLY_MARGIN_MS);
    }

    /** Fails every request waiting on {@code node}. */
    void nodeLeft(String node) {
        requests.nodeLeft(node);
    }

    void stop() {
        consumers.forEach(MessageConsumer::unregister);
    }
}
