package io.snapgate.vmm.abi;

import java.util.List;
import java.util.stream.Collectors;

/** A function's name, parameter types and return type: what the host checks a call against. */
public record FunctionSignature(String name, List<ValueType> parameters, ValueType returns) {
    public FunctionSignature {
        parameters = List.copyOf(parameters);
        if (parameters.contains(ValueType.VOID)) {
            throw new IllegalArgumentException("function " + name + ": void is not a parameter type");
        }
    }

    public static FunctionSignature of(String name, ValueType returns, ValueType... parameters) {
        return new FunctionSignature(name, List.of(parameters), returns);
    }

    /** {@code name(i32, string) -> i32}. */
    @Override
    public String toString() {
        return name + parameters.stream().map(ValueType::toString).collect(Collectors.joining(", ", "(", ")"))
                + " -> " + returns;
    }
}
