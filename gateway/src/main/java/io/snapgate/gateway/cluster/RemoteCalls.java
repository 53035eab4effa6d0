package io.snapgate.gateway.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.SnapgateException;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.eventbus.CallConsumer;
import io.snapgate.gateway.session.SessionManager;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests between nodes over the clustered event bus: each node takes stateless calls for its own workers at
 * {@code snapgate.node.<id>.call} and operations on its own sessions at {@code snapgate.node.<id>.session}.
 * Remembers the requests sent to each node until answered, so that when a node leaves they fail at once with
 * {@link NodeGone} rather than at their deadline.
 */
final class RemoteCalls {
    /** Margin over the request's deadline for the reply to come back. */
    private static final long REPLY_MARGIN_MS = 1_000;

    private record Pending(Promise<JsonObject> promise, Context context) {
    }

    private final Vertx vertx;
    private final Map<String, Set<Pending>> pending = new ConcurrentHashMap<>();
    private List<MessageConsumer<JsonObject>> consumers = List.of();

    RemoteCalls(Vertx vertx) {
        this.vertx = vertx;
    }

    private static String address(String node, String kind) {
        return "snapgate.node." + node + "." + kind;
    }

    /** Takes the calls other nodes route here and the operations on this node's sessions. */
    void serve(String self, Dispatcher dispatcher, SessionManager sessions) {
        consumers = List.of(
                vertx.eventBus().consumer(address(self, "call"), message -> {
                    Future<CallResult> result;
                    try {
                        result = dispatcher.callHere(CallRequest.fromMessage(message.body(), Set.of()));
                    } catch (RuntimeException e) {
                        result = Future.failedFuture(e);
                    }
                    CallConsumer.answer(message, result);
                }),
                vertx.eventBus().consumer(address(self, "session"), message -> session(message, sessions)));
    }

    private static void session(Message<JsonObject> message, SessionManager sessions) {
        JsonObject op = message.body();
        Future<JsonObject> result;
        try {
            result = SessionOps.apply(sessions, op);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onSuccess(message::reply).onFailure(t -> {
            GatewayException error = Errors.answer(t);
            message.fail(error.status(), error.toJson().encode());
        });
    }

    /** Sends the call (its snapshot named by digest) to {@code node}. */
    Future<CallResult> call(String node, CallRequest request, long deadline) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            return Future.failedFuture(new GatewayException(ErrorCode.DEADLINE_EXCEEDED,
                    "the deadline passed before the call could be sent to node " + node));
        }
        JsonObject message = new JsonObject().put("snapshot", request.snapshot()).put("function", request.function())
                .put("args", request.args()).put("deadlineMs", remainingMs);
        return request(node, "call", message, remainingMs)
                .map(body -> new CallResult(body.getValue("result"), body.getLong("durationMicros")));
    }

    /** Sends a session operation ({@link SessionOps}) to the node that owns the session. */
    Future<JsonObject> session(String node, JsonObject op, long timeoutMs) {
        return request(node, "session", op, timeoutMs);
    }

    private Future<JsonObject> request(String node, String kind, JsonObject message, long timeoutMs) {
        Pending p = new Pending(Promise.promise(), vertx.getOrCreateContext());
        Set<Pending> forNode = pending.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
        forNode.add(p);
        vertx.eventBus().<JsonObject>request(address(node, kind), message,
                new DeliveryOptions().setSendTimeout(timeoutMs + REPLY_MARGIN_MS)).onComplete(ar -> {
                    forNode.remove(p);
                    if (ar.succeeded()) {
                        p.promise().tryComplete(ar.result().body());
                    } else {
                        p.promise().tryFail(translate(node, ar.cause()));
                    }
                });
        return p.promise().future();
    }

    /** Fails every request waiting on {@code node}, on the context that sent it. */
    void nodeLeft(String node) {
        Set<Pending> gone = pending.remove(node);
        if (gone != null) {
            gone.forEach(p -> p.context().runOnContext(v -> p.promise().tryFail(new NodeGone(node))));
        }
    }

    void stop() {
        consumers.forEach(MessageConsumer::unregister);
    }

    private static Throwable translate(String node, Throwable t) {
        if (!(t instanceof ReplyException reply)) {
            return t;
        }
        return switch (reply.failureType()) {
            case RECIPIENT_FAILURE -> SnapgateException.fromJson(new JsonObject(reply.getMessage()));
            case NO_HANDLERS, ERROR -> new NodeGone(node); // no consumer there any more, or the link to it broke
            case TIMEOUT -> new GatewayException(ErrorCode.DEADLINE_EXCEEDED, "node " + node
                    + " did not answer before the deadline");
        };
    }
}
