package io.snapgate.vmm.sandbox;

/** The guest aborted with a code and a message: the sandbox is poisoned until restored. */
public final class GuestAbortException extends GuestReportedException {
    public GuestAbortException(String during, int code, String guestMessage) {
        super(Failure.GUEST_ABORT, "guest aborted with code " + code + " during " + during
                + (guestMessage.isEmpty() ? "" : ": " + guestMessage), code, guestMessage);
    }
}
