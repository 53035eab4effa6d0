package io.snapgate.store.config;

import java.util.List;

/**
 * A function's name and signature, types by their ABI names ({@link #TYPES}).
 *
 * @param parameters parameter types; never {@code "void"}
 * @param returns the return type, {@code "void"} for none
 */
public record FunctionConfig(String name, List<String> parameters, String returns) {
    public static final String VOID = "void";
    /** The ABI's type names (docs/abi.md, "Types"), in code order. */
    public static final List<String> TYPES = List.of(VOID, "i32", "u32", "i64", "u64", "f32", "f64", "bool", "string",
            "bytes", "json");

    public FunctionConfig {
        parameters = SnapshotConfig.copy(parameters);
    }
}
