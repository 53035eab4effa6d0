package io.snapgate.gateway.error;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.SnapgateException;
import io.snapgate.gateway.memory.OverBudget;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.fs.PosixException;
import io.snapgate.vmm.sandbox.Failure;
import io.snapgate.vmm.sandbox.GuestErrorException;
import io.snapgate.vmm.sandbox.SandboxException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become client errors: sandbox {@link Failure}s, store {@link Problem}s, the
 * memory budget's refusals, bad JSON and HTTP statuses all map to an {@link ErrorCode} here. REST, WebSocket and
 * event bus all use it.
 */
public final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
    private static final RepeatedFailures REPEATS = new RepeatedFailures();

    private Errors() {
    }

    /**
     * {@link #from}, logging the failures no client error explains: with their stack traces, unless the failure
     * {@linkplain #selfDescribing describes itself}; a failure repeating on every call is logged once per
     * {@link RepeatedFailures window}, with the count of the others.
     */
    public static GatewayException answer(Throwable t) {
        GatewayException e = from(t);
        if (e != t && (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.STORE_UNAVAILABLE)) {
            log(t);
        }
        return e;
    }

    private static void log(Throwable t) {
        String what = selfDescribing(t) ? describe(t) : t.toString();
        long unlogged = REPEATS.admit(what, System.nanoTime());
        if (unlogged < 0) {
            return;
        }
        String repeats = unlogged > 0 ? " (and " + unlogged + " more like it, not logged)" : "";
        if (selfDescribing(t)) {
            LOG.error("{}{}", what, repeats);
        } else {
            LOG.error("unexpected failure: {}{}", what, repeats, t);
        }
    }

    /**
     * Whether the failure's message says all an operator needs (a damaged or unusable store, a failed system
     * call naming its file and errno): a condition of the machine, not a bug, so no stack trace.
     */
    public static boolean selfDescribing(Throwable t) {
        return t instanceof SnapshotFormatException || t instanceof PosixException || t instanceof UncheckedIOException;
    }

    /** The failure's message, with the cause's for an I/O failure (whose own message only says what was done). */
    public static String describe(Throwable t) {
        return t instanceof UncheckedIOException && t.getCause() != null
                ? t.getMessage() + ": " + t.getCause().getMessage() : t.getMessage();
    }

    /** The client error for a failure. */
    public static GatewayException from(Throwable t) {
        if (t instanceof SnapgateException e) {
            return GatewayException.of(e);
        }
        if (t instanceof GuestErrorException e) {
            return new GatewayException(ErrorCode.GUEST_ERROR, e.getMessage(),
                    new JsonObject().put("guestCode", e.code()).put("guestMessage", e.guestMessage()), 0);
        }
        if (t instanceof SandboxException e) {
            return new GatewayException(code(e.failure()), e.getMessage());
        }
        if (t instanceof OverBudget e) {
            return new GatewayException(ErrorCode.OVERLOADED, e.getMessage(), new JsonObject(), 1);
        }
        if (t instanceof SnapshotFormatException e) {
            return new GatewayException(code(e.problem()), e.getMessage());
        }
        if (t instanceof HttpException e) {
            return fromStatus(e.getStatusCode());
        }
        // The cause goes to the log (answer() logs it with its stack trace), not to the client.
        return new GatewayException(ErrorCode.INTERNAL, "internal error");
    }

    /** The error for a bare HTTP status, such as the 413 a body limit raises. */
    public static GatewayException fromStatus(int status) {
        return switch (status) {
            case 400 -> new GatewayException(ErrorCode.BAD_REQUEST, "bad request");
            case 401 -> new GatewayException(ErrorCode.UNAUTHORIZED, "a bearer token is required");
            case 403 -> new GatewayException(ErrorCode.FORBIDDEN, "the bearer token is not accepted");
            case 404 -> new GatewayException(ErrorCode.NOT_FOUND, "no such route");
            case 405 -> new GatewayException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this route");
            case 413 -> new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is over the limit");
            default -> from(new IllegalStateException("HTTP status " + status));
        };
    }

    /** No default branch: a new Failure does not compile until it is classified here. */
    static ErrorCode code(Failure failure) {
        return switch (failure) {
            case GUEST_ERROR -> ErrorCode.GUEST_ERROR;
            case GUEST_ABORT, MEMORY_ACCESS_VIOLATION, INVALID_INSTRUCTION, CPU_EXCEPTION, UNRUNNABLE_STATE,
                    MALFORMED_FRAME, UNKNOWN_PORT, LIMIT_EXCEEDED, SANDBOX_LOST -> ErrorCode.GUEST_CRASHED;
            case TIMED_OUT -> ErrorCode.DEADLINE_EXCEEDED;
            case CANCELLED -> ErrorCode.SHUTTING_DOWN;
            case UNKNOWN_FUNCTION -> ErrorCode.UNKNOWN_FUNCTION;
            case WRONG_ARGUMENT_COUNT, ARGUMENT_TYPE_MISMATCH -> ErrorCode.INVALID_ARGUMENT;
            case ARGUMENT_TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
            case INCOMPATIBLE_SNAPSHOT -> ErrorCode.INCOMPATIBLE_SNAPSHOT;
            case INVALID_GUEST -> ErrorCode.INVALID_GUEST;
            case POISONED, CLOSED, BACKEND_FAILURE -> ErrorCode.INTERNAL;
        };
    }

    /**
     * No default branch, for the same reason. A damaged store is the server's problem, not the client's; a store
     * that cannot be read now is this node's, and another node may serve the call.
     */
    static ErrorCode code(Problem problem) {
        return switch (problem) {
            case UNKNOWN_TAG, MISSING_BLOB, NOT_A_SNAPSHOT -> ErrorCode.UNKNOWN_SNAPSHOT;
            case INVALID_TAG, MALFORMED_DIGEST -> ErrorCode.BAD_REQUEST;
            case MISSING_DIRECTORY, NOT_A_STORE, MISSING_LAYOUT_FILE, MISSING_INDEX, IO_ERROR ->
                    ErrorCode.STORE_UNAVAILABLE;
            case SYMLINK, NOT_REGULAR_FILE, DOCUMENT_TOO_LARGE, MALFORMED_JSON, UNKNOWN_FIELD, LAYOUT_VERSION,
                    SCHEMA_VERSION, MEDIA_TYPE, DUPLICATE_TAG, LAYER_COUNT, INVALID_SIZE, SIZE_MISMATCH,
                    DIGEST_MISMATCH, CONFIG_VERSION, CONFIG_FIELD, CONFIG_MEMORY, CONFIG_REGIONS, CONFIG_ENTRY,
                    CONFIG_FUNCTIONS, MEMORY_SIZE_MISMATCH, BLOB_CHANGED -> ErrorCode.INTERNAL;
            case STORE_FULL -> ErrorCode.INSUFFICIENT_STORAGE;
        };
    }
}
