package io.snapgate.gateway.snapshot;

import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.config.SnapshotConfig;
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
        return info(summary(entry, tags), s.backend(), s.generation(), s.hostFunctions());
    }

    /** Digest, tags, memory size, creation time and functions. */
    public static JsonObject summary(SnapshotEntry entry, List<String> tags) {
        Snapshot s = entry.snapshot();
        return summary(entry.digest(), tags, s.memorySize(), s.created().toString(), s.functions());
    }

    /** {@link #info(SnapshotEntry, List)} of a snapshot known from the cluster's index, not loaded here. */
    public static JsonObject info(SnapshotInfo stored, List<String> tags) {
        SnapshotConfig c = stored.config();
        return info(summary(stored, tags), c.createdBy(), c.generation(), Snapshot.signatures(c.hostFunctions()));
    }

    /** {@link #summary(SnapshotEntry, List)} of a snapshot known from the cluster's index, not loaded here. */
    public static JsonObject summary(SnapshotInfo stored, List<String> tags) {
        SnapshotConfig c = stored.config();
        return summary(stored.manifestDigest(), tags, stored.memorySize(), c.created(),
                Snapshot.signatures(c.functions()));
    }

    private static JsonObject summary(String digest, List<String> tags, long memoryBytes, String created,
            List<FunctionSignature> functions) {
        return new JsonObject()
                .put("digest", digest)
                .put("tags", new JsonArray(List.copyOf(tags)))
                .put("memoryBytes", memoryBytes)
                .put("created", created)
                .put("functions", functions(functions));
    }

    private static JsonObject info(JsonObject summary, String createdBy, long generation,
            List<FunctionSignature> hostFunctions) {
        return summary.put("createdBy", createdBy).put("generation", generation)
                .put("hostFunctions", functions(hostFunctions));
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
