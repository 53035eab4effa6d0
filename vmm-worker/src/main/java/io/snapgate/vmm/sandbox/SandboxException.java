package io.snapgate.vmm.sandbox;

/**
 * A sandbox operation that failed, with its {@link Failure}. Expected failures carry no stack trace:
 * the message says what happened.
 */
public class SandboxException extends RuntimeException {
    private final Failure failure;

    public SandboxException(Failure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    public SandboxException(Failure failure, String message, Throwable cause) {
        super(message, cause, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
