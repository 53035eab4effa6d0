package io.snapgate.vmm.abi;

/** A frame from the guest that is not what the ABI says: the message names what is wrong. */
public final class FrameException extends RuntimeException {
    public FrameException(String message) {
        super(message, null, false, false);
    }
}
