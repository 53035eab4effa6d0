package io.snapgate.gateway.dispatch;

import io.vertx.core.json.JsonObject;

/**
 * A call's answer: the result as a JSON value and how long the guest ran, in microseconds (the call on the
 * worker's vCPU, without queueing, transport or the restore after it).
 */
public record CallResult(Object result, long durationMicros) {
    /** {@code {"result": ..., "durationMicros": ...}}. */
    public JsonObject toJson() {
        return new JsonObject().put("result", result).put("durationMicros", durationMicros);
    }
}
