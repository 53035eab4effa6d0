package io.snapgate.gateway.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.session.SessionManager;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A session operation as a message, for the node that owns the session: {@code {"op": "call", "id", "function",
 * "args", "deadlineMs"?}}, {@code {"op": "restore", "id"}}, {@code {"op": "save", "id", "tag"}} or
 * {@code {"op": "close", "id"}}.
 */
public final class SessionOps {
    private SessionOps() {
    }

    public static JsonObject call(String id, String function, JsonArray args, Long deadlineMs) {
        return new JsonObject().put("op", "call").put("id", id).put("function", function).put("args", args)
                .put("deadlineMs", deadlineMs);
    }

    public static JsonObject restore(String id) {
        return new JsonObject().put("op", "restore").put("id", id);
    }

    public static JsonObject save(String id, String tag) {
        return new JsonObject().put("op", "save").put("id", id).put("tag", tag);
    }

    public static JsonObject close(String id) {
        return new JsonObject().put("op", "close").put("id", id);
    }

    /** Runs the operation on this node's sessions; answers what the REST route answers (empty for close). */
    static Future<JsonObject> apply(SessionManager sessions, JsonObject op) {
        String id = StrictJson.string(op, "id");
        return switch (StrictJson.string(op, "op")) {
            case "call" -> sessions.call(id, StrictJson.string(op, "function"), StrictJson.array(op, "args"),
                    op.getLong("deadlineMs")).map(CallResult::toJson);
            case "restore" -> sessions.restore(id);
            case "save" -> sessions.save(id, StrictJson.string(op, "tag"));
            case "close" -> sessions.close(id).map(v -> new JsonObject());
            default -> Future.failedFuture(new GatewayException(ErrorCode.BAD_REQUEST, "unknown session operation "
                    + op.getString("op")));
        };
    }
}
