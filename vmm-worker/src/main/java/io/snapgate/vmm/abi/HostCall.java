package io.snapgate.vmm.abi;

/** A guest's request to call a host function, as read from its frame. */
public sealed interface HostCall {

    /** A known host function with arguments of the right count and types. */
    record Valid(FunctionSignature signature, Object[] arguments) implements HostCall {
    }

    /** A request the host answers with an error frame: unknown function, wrong count, wrong type. */
    record Invalid(String function, GuestErrorCode code, String message) implements HostCall {
    }
}
