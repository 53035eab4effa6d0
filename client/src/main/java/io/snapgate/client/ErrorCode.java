package io.snapgate.client;

/** What went wrong with a request, as clients see it: the {@code code} of an error body, and its HTTP status. */
public enum ErrorCode {
    /** Malformed JSON, a missing or unknown field, a bad reference, text that is not valid Unicode. */
    BAD_REQUEST(400),
    /**
     * An argument that does not fit the function's signature (the message names it and the type expected), or
     * whose text is not valid Unicode.
     */
    INVALID_ARGUMENT(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    UNKNOWN_SNAPSHOT(404),
    /** The snapshot has no such function; the error lists the ones it has. */
    UNKNOWN_FUNCTION(404),
    UNKNOWN_SESSION(404),
    /** The session lived on a cluster node that left or died; its state is lost. */
    SESSION_GONE(410),
    METHOD_NOT_ALLOWED(405),
    PAYLOAD_TOO_LARGE(413),
    /** The request line (method, path and query) is over the HTTP server's limit. */
    URI_TOO_LONG(414),
    /** The guest function returned an error; the sandbox is fine. */
    GUEST_ERROR(422),
    /** An uploaded ELF that does not load, or whose init fails. */
    INVALID_GUEST(422),
    /** A snapshot that needs host functions this gateway does not offer. */
    INCOMPATIBLE_SNAPSHOT(422),
    /** A WebSocket connection has its cap of calls in flight. */
    TOO_MANY_IN_FLIGHT(429),
    /** The request's headers are over the HTTP server's limit. */
    HEADERS_TOO_LARGE(431),
    /** The guest crashed (fault, abort, broken frame); its sandbox was recycled, so the next call works. */
    GUEST_CRASHED(500),
    INTERNAL(500),
    /** A registry refused or failed a push or a pull (unreachable, credentials refused, content refused). */
    REGISTRY_ERROR(502),
    /** The node's queue or session table is full; retry after the Retry-After header. */
    OVERLOADED(503),
    SHUTTING_DOWN(503),
    /** The node's snapshot store cannot be read now (its directory or index gone, an I/O error): try another node. */
    STORE_UNAVAILABLE(503),
    /** No node of the cluster can run the call now (its holders left, or the node it ran on died). */
    UNAVAILABLE(503),
    DEADLINE_EXCEEDED(504),
    /** The node's snapshot store has no room left for a snapshot it had to write (an upload, a copy). */
    INSUFFICIENT_STORAGE(507);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code of this name, or null when there is none (as {@code valueOf} would throw). */
    public static ErrorCode named(String name) {
        for (ErrorCode code : values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return null;
    }
}
