package io.snapgate.gateway.eventbus;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The event-bus front: address {@value #ADDRESS} takes {@code {snapshot, function, args, deadlineMs?}} (a
 * JsonObject or its JSON text) and replies {@code {result, durationMicros}}. A failure is a ReplyException
 * whose {@code failureCode()} is the HTTP-like status and whose message is the JSON error object
 * {@code {"code", "message", ...}}.
 */
public final class CallConsumer extends VerticleBase {
    public static final String ADDRESS = "snapgate.call";

    private final Dispatcher dispatcher;
    private MessageConsumer<Object> consumer;

    public CallConsumer(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(ADDRESS, this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister();
    }

    private void onMessage(Message<Object> message) {
        Future<CallResult> result;
        try {
            result = dispatcher.call(CallRequest.fromMessage(body(message.body()), Set.of()));
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        answer(message, result);
    }

    /** Replies {@code {result, durationMicros}}, or fails the message with the status and the JSON error. */
    public static void answer(Message<?> message, Future<CallResult> result) {
        result.onSuccess(r -> message.reply(r.toJson())).onFailure(t -> {
            GatewayException error = Errors.answer(t);
            message.fail(error.status(), error.toJson().encode());
        });
    }

    private static JsonObject body(Object body) {
        if (body instanceof JsonObject object) {
            return object;
        }
        if (body instanceof String text) {
            return StrictJson.object(text);
        }
        throw new GatewayException(ErrorCode.BAD_REQUEST, "send a JsonObject (or its JSON text) to " + ADDRESS);
    }
}
