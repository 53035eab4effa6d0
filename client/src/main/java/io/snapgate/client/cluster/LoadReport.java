package io.snapgate.client.cluster;

import io.vertx.core.json.JsonObject;

/**
 * What a gateway node publishes of itself on {@code snapgate.load}: its cluster id, its HTTP URL, and its load
 * (calls running or queued per worker).
 */
public record LoadReport(String node, String url, double load) {
    public JsonObject toJson() {
        return new JsonObject().put("node", node).put("url", url).put("load", load);
    }

    /** The report in a message; null when it is not one (a field missing or of another type). */
    public static LoadReport fromJson(JsonObject json) {
        Object node = json.getValue("node");
        Object url = json.getValue("url");
        Object load = json.getValue("load");
        return node instanceof String n && url instanceof String u && load instanceof Number l
                ? new LoadReport(n, u, l.doubleValue()) : null;
    }
}
