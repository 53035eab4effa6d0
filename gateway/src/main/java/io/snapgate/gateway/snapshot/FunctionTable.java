package io.snapgate.gateway.snapshot;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.FunctionSignature;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot's functions by name, for checking calls before any guest runs: from a loaded snapshot, or from
 * the cluster's index on a node that has not loaded it.
 *
 * @param digest the snapshot's manifest digest
 */
public record FunctionTable(String digest, List<FunctionSignature> all, Map<String, FunctionSignature> byName) {

    public static FunctionTable of(String digest, List<FunctionSignature> functions) {
        Map<String, FunctionSignature> byName = new LinkedHashMap<>();
        functions.forEach(f -> byName.put(f.name(), f));
        return new FunctionTable(digest, List.copyOf(functions), Map.copyOf(byName));
    }

    /** The function's signature, or an UNKNOWN_FUNCTION error listing the functions there are. */
    public FunctionSignature function(String name) {
        FunctionSignature signature = byName.get(name);
        if (signature == null) {
            throw new GatewayException(ErrorCode.UNKNOWN_FUNCTION, "snapshot " + digest + " has no function " + name
                    + "; it has: " + String.join(", ", byName.keySet().stream().sorted().toList()),
                    new JsonObject().put("functions", SnapshotJson.functions(all)), 0);
        }
        return signature;
    }
}
