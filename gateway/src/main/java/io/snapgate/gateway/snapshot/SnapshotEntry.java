package io.snapgate.gateway.snapshot;

import io.snapgate.gateway.error.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot loaded on this node, shared by every worker that maps it, with its function table for checking
 * calls before any guest runs.
 *
 * @param digest the manifest digest ({@code sha256:<hex>})
 */
public record SnapshotEntry(String digest, Snapshot snapshot, Map<String, FunctionSignature> functions) {

    public static SnapshotEntry of(String digest, Snapshot snapshot) {
        Map<String, FunctionSignature> functions = new LinkedHashMap<>();
        snapshot.functions().forEach(f -> functions.put(f.name(), f));
        return new SnapshotEntry(digest, snapshot, Map.copyOf(functions));
    }

    /** The function's signature, or an UNKNOWN_FUNCTION error listing the functions there are. */
    public FunctionSignature function(String name) {
        FunctionSignature signature = functions.get(name);
        if (signature == null) {
            throw new GatewayException(ErrorCode.UNKNOWN_FUNCTION, "snapshot " + digest + " has no function " + name
                    + "; it has: " + String.join(", ", functions.keySet().stream().sorted().toList()),
                    new JsonObject().put("functions", SnapshotJson.functions(snapshot.functions())), 0);
        }
        return signature;
    }
}
