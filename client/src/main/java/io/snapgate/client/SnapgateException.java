package io.snapgate.client;

import io.vertx.core.json.JsonObject;

/**
 * A request snapgate refused or could not run, as every front reports it: an {@link ErrorCode} (which fixes the
 * HTTP status), the message, and the extra fields some codes add to the error body ({@link #details()}: for
 * {@code INVALID_ARGUMENT} {@code argument} and {@code expected}, for {@code GUEST_ERROR} {@code guestCode} and
 * {@code guestMessage}, ...). Expected in normal operation, so it carries no stack trace.
 */
public class SnapgateException extends RuntimeException {
    private final ErrorCode code;
    private final JsonObject details;

    public SnapgateException(ErrorCode code, String message) {
        this(code, message, new JsonObject());
    }

    public SnapgateException(ErrorCode code, String message, JsonObject details) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
    }

    public ErrorCode code() {
        return code;
    }

    /** The HTTP status of the code, as REST answers it (the event bus's failure code). */
    public int status() {
        return code.status();
    }

    /** The error body's fields beyond {@code code} and {@code message}; empty for most codes. */
    public JsonObject details() {
        return details;
    }

    /** {@code {"code": ..., "message": ..., <details>}}: the value of an error body's {@code error} field. */
    public JsonObject toJson() {
        return new JsonObject().put("code", code.name()).put("message", getMessage()).mergeIn(details);
    }

    /**
     * The error {@link #toJson} described. A code this client does not know (a newer gateway's) becomes
     * {@code INTERNAL}, its name kept in the message.
     */
    public static SnapgateException fromJson(JsonObject json) {
        JsonObject details = json.copy();
        Object code = details.remove("code");
        Object message = details.remove("message");
        ErrorCode known = ErrorCode.named(String.valueOf(code));
        String text = String.valueOf(message);
        return known != null ? new SnapgateException(known, text, details)
                : new SnapgateException(ErrorCode.INTERNAL, "error " + code + ": " + text, details);
    }
}
