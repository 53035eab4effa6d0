package io.snapgate.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot as the gateway lists it: its digest (what a call may name instead of a tag), the tags naming it, its
 * memory size, when it was made and the functions it exports. {@link #json()} is the whole answer, with the
 * fields a description adds ({@code createdBy}, {@code generation}, {@code hostFunctions}, in a cluster
 * {@code holders}).
 */
public record SnapshotInfo(String digest, List<String> tags, long memoryBytes, Instant created,
        List<FunctionInfo> functions, JsonObject json) {
    public SnapshotInfo {
        tags = List.copyOf(tags);
        functions = List.copyOf(functions);
    }

    static SnapshotInfo fromJson(JsonObject json) {
        List<String> tags = new ArrayList<>();
        json.getJsonArray("tags", new JsonArray()).forEach(t -> tags.add(String.valueOf(t)));
        String created = json.getString("created");
        return new SnapshotInfo(json.getString("digest"), tags, json.getLong("memoryBytes", 0L),
                created == null ? null : Instant.parse(created), FunctionInfo.listFromJson(json.getJsonArray(
                        "functions")), json);
    }
}
