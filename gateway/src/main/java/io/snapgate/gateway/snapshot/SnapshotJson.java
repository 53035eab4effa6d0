package io.snapgate.gateway.snapshot;

import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** How snapshots and function tables look in JSON answers (REST and the CLI). */
public final class SnapshotJson {
    private SnapshotJson() {
    }

    /** Digest, tags, sizes, provenance and both function tables. */
    public static JsonObject info(SnapshotEntry entry, List<String> tags) {
        Snapshot s = entry.snapshot();
        return summary(entry, tags)
                .put("createdBy", s.backend())
                .put("generation", s.generation())
                .put("hostFunctions", functions(s.hostFunctions()));
    }

    /** Digest, tags, memory size, creation time and functions. */
    public static JsonObject summary(SnapshotEntry entry, List<String> tags) {
        Snapshot s = entry.snapshot();
        return new JsonObject()
                .put("digest", entry.digest())
                .put("tags", new JsonArray(List.copyOf(tags)))
                .put("memoryBytes", s.memorySize())
                .put("created", s.created().toString())
                .put("functions", functions(s.functions()));
    }

    /** {@code [{"name", "parameters", "returns", "signature"}]}. */
    public static JsonArray functions(List<FunctionSignature> signatures) {
        JsonArray array = new JsonArray();
        for (FunctionSignature f : signatures) {
            array.add(new JsonObject()
                    .put("name", f.name())
                    .put("parameters", new JsonArray(f.parameters().stream().map(ValueType::toString).toList()))
                    .put("returns", f.returns().toString())
                    .put("signature", f.toString()));
        }
        return array;
    }
}
