package io.snapgate.gateway.error;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.SnapgateException;
import io.vertx.core.json.JsonObject;

/**
 * A request the gateway answers with an error: the client's {@link SnapgateException} (code, message, extra fields
 * of the error body) and, for the HTTP front, a Retry-After. Expected in normal operation, so it carries no stack
 * trace.
 */
public final class GatewayException extends SnapgateException {
    private final int retryAfterSeconds;

    public GatewayException(ErrorCode code, String message) {
        this(code, message, new JsonObject(), 0);
    }

    public GatewayException(ErrorCode code, String message, JsonObject details, int retryAfterSeconds) {
        super(code, message, details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The same error, as the gateway answers it (such as one another node sent over the event bus). */
    public static GatewayException of(SnapgateException e) {
        return e instanceof GatewayException g ? g : new GatewayException(e.code(), e.getMessage(), e.details(), 0);
    }

    /** Seconds for a Retry-After header; 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** {@code {"error": {...}}}. */
    public JsonObject toBody() {
        return new JsonObject().put("error", toJson());
    }
}
