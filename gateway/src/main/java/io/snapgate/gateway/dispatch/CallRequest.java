package io.snapgate.gateway.dispatch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One stateless call: which snapshot (tag or digest), which function, its JSON arguments, the deadline the
 * caller asked for ({@code null}: the default), and the tenant it is admitted under ({@code null}: the snapshot;
 * see {@code worker.Admission}). Made only from a message whose text is valid Unicode.
 */
public record CallRequest(String snapshot, String function, JsonArray args, Long deadlineMs, String tenant) {
    private static final Set<String> BODY_FIELDS = Set.of("args", "deadlineMs");
    private static final Set<String> MESSAGE_FIELDS = Set.of("snapshot", "function", "args", "deadlineMs");

    /** A REST call: the target from the path, {@code {"args": [...], "deadlineMs": n}} from the body. */
    public static CallRequest fromBody(String snapshot, String function, JsonObject body) {
        ValidText.require(body);
        StrictJson.onlyFields(body, BODY_FIELDS);
        return new CallRequest(snapshot, function, StrictJson.array(body, "args"),
                StrictJson.positiveLong(body, "deadlineMs"), null);
    }

    /**
     * An event-bus message or WebSocket frame: {@code {"snapshot", "function", "args", "deadlineMs"}}, plus
     * {@code extra} fields the transport reads itself (such as a frame's {@code id}).
     */
    public static CallRequest fromMessage(JsonObject message, Set<String> extra) {
        ValidText.require(message);
        StrictJson.onlyFields(message, MESSAGE_FIELDS, extra);
        return new CallRequest(StrictJson.string(message, "snapshot"), StrictJson.string(message, "function"),
                StrictJson.array(message, "args"), StrictJson.positiveLong(message, "deadlineMs"), null);
    }

    /** The same call, admitted under {@code tenant} (null: its snapshot). */
    public CallRequest withTenant(String tenant) {
        return new CallRequest(snapshot, function, args, deadlineMs, tenant);
    }
}
