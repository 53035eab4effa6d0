package io.snapgate.vmm.abi;

/** What a function (guest or host) answered: a value, or an error code with a message. */
public sealed interface GuestResult {

    record Returned(Object value) implements GuestResult {
    }

    record Failed(int code, String message) implements GuestResult {
    }
}
