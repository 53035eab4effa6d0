package io.snapgate.gateway.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.cluster.NodeRequests;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.eventbus.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

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
    private List<MessageConsumer<JsonObject>> consumers = List.of();

    RemoteCalls(Vertx vertx) {
        this.vertx = vertx;
        this.requests = new NodeRequests(vertx);
    }

    private static String address(String node, String kind) {
        return "snapgate.node." + node + "." + kind;
    }

    /** Takes the calls other nodes route here and the operations on this node's sessions. */
    void serve(String self, Dispatcher dispatcher, Function<JsonObject, Future<JsonObject>> sessions) {
        consumers = List.of(
                vertx.eventBus().consumer(address(self, "call"), message -> Replies.answer(message, Replies.run(
                        () -> dispatcher.callHere(CallRequest.fromMessage(message.body(), Set.of()))
                                .map(CallResult::toJson)))),
                vertx.eventBus().consumer(address(self, "session"),
                        message -> Replies.answer(message, Replies.run(() -> sessions.apply(message.body())))));
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

    /** Sends a session operation ({@link Messages}) to the node that owns the session. */
    Future<JsonObject> session(String node, JsonObject op, long timeoutMs) {
        return requests.request(node, address(node, "session"), op, timeoutMs + REPLY_MARGIN_MS);
    }

    /** Fails every request waiting on {@code node}. */
    void nodeLeft(String node) {
        requests.nodeLeft(node);
    }

    void stop() {
        consumers.forEach(MessageConsumer::unregister);
    }
}
