package io.snapgate.client.wire;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.SnapgateException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * How a gateway fails a request on the event bus: the reply's failure code is the HTTP status of the error's code
 * and its message the JSON error object, {@code {"code", "message", ...}}, as in a REST error body.
 */
public final class Failures {
    private Failures() {
    }

    public static void fail(Message<?> message, SnapgateException error) {
        message.fail(error.status(), error.toJson().encode());
    }

    /**
     * The error a gateway failed a request with; null for a failure of the event bus itself (no handler, timeout).
     * A recipient's failure that is not a JSON error (not a gateway's) is {@code INTERNAL}, naming what it said.
     */
    public static SnapgateException of(ReplyException reply) {
        if (reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
            return null;
        }
        try {
            return SnapgateException.fromJson(new JsonObject(reply.getMessage()));
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            return new SnapgateException(ErrorCode.INTERNAL, "the recipient failed the request with "
                    + reply.failureCode() + ": " + reply.getMessage());
        }
    }
}
