package io.snapgate.gateway.error;

import io.vertx.core.json.JsonObject;

/**
 * A request the gateway answers with an error: an {@link ErrorCode}, a message for the client, and optional
 * extra fields for the error body. Expected in normal operation, so it carries no stack trace.
 */
public final class GatewayException extends RuntimeException {
    private final ErrorCode code;
    private final JsonObject details;
    private final int retryAfterSeconds;

    public GatewayException(ErrorCode code, String message) {
        this(code, message, new JsonObject(), 0);
    }

    public GatewayException(ErrorCode code, String message, JsonObject details, int retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    /** Seconds for a Retry-After header; 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** {@code {"code": ..., "message": ..., <details>}}: the value of an error body's {@code error} field. */
    public JsonObject toJson() {
        return new JsonObject().put("code", code.name()).put("message", getMessage()).mergeIn(details);
    }

    /** The error {@link #toJson} described (as another node sends it over the event bus). */
    public static GatewayException fromJson(JsonObject json) {
        JsonObject details = json.copy();
        String code = (String) details.remove("code");
        String message = (String) details.remove("message");
        return new GatewayException(ErrorCode.valueOf(code), message, details, 0);
    }

    /** {@code {"error": {...}}}. */
    public JsonObject toBody() {
        return new JsonObject().put("error", toJson());
    }
}
