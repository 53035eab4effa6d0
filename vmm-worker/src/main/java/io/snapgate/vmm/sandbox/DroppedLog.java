package io.snapgate.vmm.sandbox;

/**
 * The log lines a call's guest wrote past its {@link GuestLimits}: dropped, never written, but counted here.
 *
 * @param during the work that dropped them ({@code call to f}, {@code guest init})
 * @param lines lines dropped
 * @param bytes their bytes
 */
public record DroppedLog(String during, long lines, long bytes, GuestLimits limits) {
    /** The one line that stands for all of them in the host's log. */
    public String summary() {
        return String.format("%s: dropped %d guest log lines (%d bytes) past the limit of %d lines or %d bytes"
                + " per call", during, lines, bytes, limits.logLines(), limits.logBytes());
    }
}
