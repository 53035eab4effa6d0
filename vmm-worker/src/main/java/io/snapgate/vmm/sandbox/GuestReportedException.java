package io.snapgate.vmm.sandbox;

/** A failure the guest reported itself, with its code and message. */
public abstract class GuestReportedException extends SandboxException {
    private final int code;
    private final String guestMessage;

    GuestReportedException(Failure failure, String message, int code, String guestMessage) {
        super(failure, message);
        this.code = code;
        this.guestMessage = guestMessage;
    }

    /** The guest's code: an error code (see GuestErrorCode) or an abort code. */
    public int code() {
        return code;
    }

    /** The guest's own message. */
    public String guestMessage() {
        return guestMessage;
    }
}
