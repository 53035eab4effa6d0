package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.GuestErrorCode;

/** The guest function returned an error: the sandbox stays usable. */
public final class GuestErrorException extends GuestReportedException {
    public GuestErrorException(String function, int code, String guestMessage) {
        super(Failure.GUEST_ERROR, function + " returned error " + code + " (" + GuestErrorCode.describe(code) + "): "
                + guestMessage, code, guestMessage);
    }
}
