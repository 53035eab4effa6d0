package io.snapgate.client.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The requests the front addresses take ({@link Addresses}), as JSON: what the typed client sends, what a
 * consumer in any language may send, and what gateways forward to each other. Field names are the REST API's.
 */
public final class Messages {
    /** A session or snapshot request's operation field. */
    public static final String OP = "op";

    private Messages() {
    }

    /** {@code {snapshot, function, args, deadlineMs?}} for {@link Addresses#CALL}; no deadline: the gateway's. */
    public static JsonObject call(String snapshot, String function, JsonArray args, Long deadlineMs) {
        JsonObject call = new JsonObject().put("snapshot", snapshot).put("function", function).put("args", args);
        return deadlineMs == null ? call : call.put("deadlineMs", deadlineMs);
    }

    /** Opens a session on a snapshot (tag or digest); answers what {@code POST /v1/sessions} does. */
    public static JsonObject open(String snapshot) {
        return new JsonObject().put(OP, "open").put("snapshot", snapshot);
    }

    /** A call in a session; answers {@code {result, durationMicros}}. */
    public static JsonObject sessionCall(String id, String function, JsonArray args, Long deadlineMs) {
        JsonObject call = new JsonObject().put(OP, "call").put("id", id).put("function", function).put("args", args);
        return deadlineMs == null ? call : call.put("deadlineMs", deadlineMs);
    }

    /** Puts the session's sandbox back to its snapshot; answers the session. */
    public static JsonObject restore(String id) {
        return new JsonObject().put(OP, "restore").put("id", id);
    }

    /** Saves the session's sandbox as snapshot {@code tag}; answers the snapshot's summary. */
    public static JsonObject save(String id, String tag) {
        return new JsonObject().put(OP, "save").put("id", id).put("tag", tag);
    }

    /** Ends the session; answers {@code {}}. */
    public static JsonObject close(String id) {
        return new JsonObject().put(OP, "close").put("id", id);
    }

    /** Every snapshot a tag names, for {@link Addresses#SNAPSHOTS}; answers what {@code GET /v1/snapshots} does. */
    public static JsonObject list() {
        return new JsonObject().put(OP, "list");
    }

    /** One snapshot by tag or digest; answers what {@code GET /v1/snapshots/{ref}} does. */
    public static JsonObject describe(String ref) {
        return new JsonObject().put(OP, "describe").put("ref", ref);
    }
}
