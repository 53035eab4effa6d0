package io.snapgate.gateway.cluster;

import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.error.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.eventbus.CallConsumer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls between nodes over the clustered event bus: each node takes calls for its own workers at
 * {@code snapgate.node.<id>.call}. Remembers the calls sent to each node until answered, so that when a node
 * leaves they fail at once with {@link NodeGone} rather than at their deadline.
 */
final class RemoteCalls {
    /** Margin over the call's deadline for the reply to come back. */
    private static final long REPLY_MARGIN_MS = 1_000;

    private record Pending(Promise<CallResult> promise, Context context) {
    }

    private final Vertx vertx;
    private final Map<String, Set<Pending>> pending = new ConcurrentHashMap<>();
    private MessageConsumer<JsonObject> consumer;

    RemoteCalls(Vertx vertx) {
        this.vertx = vertx;
    }

    static String address(String node) {
        return "snapgate.node." + node + ".call";
    }

    /** Takes the calls other nodes route here. */
    void serve(String self, Dispatcher dispatcher) {
        consumer = vertx.eventBus().consumer(address(self), message -> {
            Future<CallResult> result;
            try {
                result = dispatcher.callHere(CallRequest.fromMessage(message.body(), Set.of()));
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            CallConsumer.answer(message, result);
        });
    }

    /** Sends the call (its snapshot named by digest) to {@code node}. */
    Future<CallResult> send(String node, CallRequest request, long deadline) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            return Future.failedFuture(new GatewayException(ErrorCode.DEADLINE_EXCEEDED,
                    "the deadline passed before the call could be sent to node " + node));
        }
        JsonObject message = new JsonObject().put("snapshot", request.snapshot()).put("function", request.function())
                .put("args", request.args()).put("deadlineMs", remainingMs);
        Pending p = new Pending(Promise.promise(), vertx.getOrCreateContext());
        Set<Pending> forNode = pending.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
        forNode.add(p);
        vertx.eventBus().<JsonObject>request(address(node), message,
                new DeliveryOptions().setSendTimeout(remainingMs + REPLY_MARGIN_MS)).onComplete(ar -> {
                    forNode.remove(p);
                    if (ar.succeeded()) {
                        JsonObject body = ar.result().body();
                        p.promise().tryComplete(new CallResult(body.getValue("result"), body.getLong("durationMicros")));
                    } else {
                        p.promise().tryFail(translate(node, ar.cause()));
                    }
                });
        return p.promise().future();
    }

    /** Fails every call waiting on {@code node}, on the context that sent it. */
    void nodeLeft(String node) {
        Set<Pending> gone = pending.remove(node);
        if (gone != null) {
            gone.forEach(p -> p.context().runOnContext(v -> p.promise().tryFail(new NodeGone(node))));
        }
    }

    void stop() {
        if (consumer != null) {
            consumer.unregister();
        }
    }

    private static Throwable translate(String node, Throwable t) {
        if (!(t instanceof ReplyException reply)) {
            return t;
        }
        return switch (reply.failureType()) {
            case RECIPIENT_FAILURE -> GatewayException.fromJson(new JsonObject(reply.getMessage()));
            case NO_HANDLERS, ERROR -> new NodeGone(node); // no consumer there any more, or the link to it broke
            case TIMEOUT -> new GatewayException(ErrorCode.DEADLINE_EXCEEDED, "node " + node
                    + " did not answer before the deadline");
        };
    }
}
