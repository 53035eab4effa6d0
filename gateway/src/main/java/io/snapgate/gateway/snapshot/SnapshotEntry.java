package io.snapgate.gateway.snapshot;

import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.sandbox.Snapshot;

/**
 * A snapshot loaded on this node, shared by every worker that maps it, with its function table for checking
 * calls before any guest runs.
 *
 * @param digest the manifest digest ({@code sha256:<hex>})
 */
public record SnapshotEntry(String digest, Snapshot snapshot, FunctionTable functions) {

    public static SnapshotEntry of(String digest, Snapshot snapshot) {
        return new SnapshotEntry(digest, snapshot, FunctionTable.of(digest, snapshot.functions()));
    }

    /** The function's signature, or an UNKNOWN_FUNCTION error listing the functions there are. */
    public FunctionSignature function(String name) {
        return functions.function(name);
    }
}
