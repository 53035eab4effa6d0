package io.snapgate.gateway.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.cluster.NodeRequests;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.auth.BusAuth;
import io.snapgate.gateway.auth.Grant;
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
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Requests between nodes over the clustered event bus: each node takes stateless calls for its own workers at
 * {@code snapgate.node.<id>.call} and operations on its own sessions at {@code snapgate.node.<id>.session} (the
 * session messages of the client's wire). Both carry this node's token and the tenant the request was admitted
 * under here, which the receiving node admits it under ({@link BusAuth#forwarded}). Requests sent to a node fail at
 * once with {@code NodeGone} when it leaves ({@link NodeRequests}), rather than at their deadline.
 */
final class RemoteCalls {
    /** Margin over the request's deadline for the reply to come back. */
    private static final long REPLY_MARGIN_MS = 1_000;

    private final Vertx vertx;
    private final NodeRequests requests;
    private final Optional<String> token;
    private final BusAuth auth;
    private List<MessageConsumer<JsonObject>> consumers = List.of();

    /** {@code token}: what this node sends with the requests it forwards (none without tokens). */
    RemoteCalls(Vertx vertx, Optional<String> token, BusAuth auth) {
        this.vertx = vertx;
        this.token = token;
        this.auth = auth;
        this.requests = new NodeRequests(vertx);
    }

    private static String address(String node, String kind) {
        return "snapgate.node." + node + "." + kind;
    }

    /**
     * Takes the calls other nodes route here and the operations on this node's sessions ({@code sessions}: the
     * answer to one, given the grant of the token that came with it, which may save a session), each admitted under
     * the tenant the forwarding node sent.
     */
    void serve(String self, Dispatcher dispatcher, BiFunction<JsonObject, Grant, Future<JsonObject>> sessions) {
        consumers = List.of(
                vertx.eventBus().consumer(address(self, "call"), message -> Replies.answer(message, Replies.run(
                        () -> dispatcher.callHere(CallRequest.fromMessage(message.body(), Set.of())
                                        .withTenant(auth.forwarded(message.headers()).tenant()))
                                .map(CallResult::toJson)))),
                vertx.eventBus().consumer(address(self, "session"),
                        message -> Replies.answer(message, Replies.run(() -> sessions.apply(message.body(),
                                auth.forwarded(message.headers()))))));
    }

    /** Sends the call (its snapshot named by digest) to {@code node}, to be admitted there under its tenant. */
    Future<CallResult> call(String node, CallRequest request, long deadline) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            return Future.failedFuture(new GatewayException(ErrorCode.DEADLINE_EXCEEDED,
                    "the deadline passed before the call could be sent to node " + node));
        }
        JsonObject message = Messages.call(request.snapshot(), request.function(), request.args(), remainingMs);
        return requests.request(node, address(node, "call"), message, auth.forwarding(token, request.tenant()),
                        remainingMs + REPLY_MARGIN_MS)
                .map(body -> new CallResult(body.getValue("result"), body.getLong("durationMicros")));
    }

    /**
     * Sends a session operation ({@link Messages}) to the node that owns the session, with this node's token (the
     * request's own scope was checked here, and the owner checks the token's again: a save needs deploy) and the
     * caller's {@code tenant} (null: the session's snapshot), which the owner admits it under.
     */
    Future<JsonObject> session(String node, JsonObject op, String tenant, long timeoutMs) {
        return requests.request(node, address(node, "session"), op, auth.forwarding(token, tenant),
                timeoutMs + REPLY_MARGIN_MS);
    }

    /** Fails every request waiting on {@code node}. */
    void nodeLeft(String node) {
        requests.nodeLeft(node);
    }

    void stop() {
        consumers.forEach(MessageConsumer::unregister);
    }
}
