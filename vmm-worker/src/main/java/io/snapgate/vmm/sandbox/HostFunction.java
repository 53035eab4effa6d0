package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.ValueType;

/**
 * A host function a guest may call by name. Arguments arrive checked against the signature, as the
 * canonical Java values of {@link ValueType}; the result must match the return type. An exception thrown
 * here reaches the guest as a HOST_FUNCTION_ERROR it can handle; it never crashes the sandbox.
 */
public record HostFunction(FunctionSignature signature, Implementation implementation) {

    /** The body of a host function. Runs on the vCPU thread, between guest instructions. */
    @FunctionalInterface
    public interface Implementation {
        Object invoke(Object[] args) throws Exception;
    }

    public static HostFunction of(String name, ValueType returns, Implementation implementation, ValueType... params) {
        return new HostFunction(FunctionSignature.of(name, returns, params), implementation);
    }

    public String name() {
        return signature.name();
    }
}
