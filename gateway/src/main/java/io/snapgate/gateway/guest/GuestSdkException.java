package io.snapgate.gateway.guest;

/** Building a guest cannot go on: a missing tool or source, a path make cannot take. The message says which. */
public final class GuestSdkException extends RuntimeException {
    public GuestSdkException(String message) {
        super(message, null, false, false);
    }
}
