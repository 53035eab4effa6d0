package io.snapgate.gateway.eventbus;

import io.snapgate.client.wire.Failures;
import io.snapgate.gateway.error.Errors;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/** How the gateway answers an event-bus request: the JSON answer, or the error in the wire's failure format. */
public final class Replies {
    private Replies() {
    }

    /** Replies the answer, or fails the message with the error's status and JSON ({@link Failures}). */
    public static void answer(Message<?> message, Future<JsonObject> result) {
        result.onSuccess(message::reply).onFailure(t -> Failures.fail(message, Errors.answer(t)));
    }

    /** The handler's answer; a failure it throws (a bad request) as a failed future. */
    public static Future<JsonObject> run(Supplier<Future<JsonObject>> handler) {
        try {
            return handler.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
