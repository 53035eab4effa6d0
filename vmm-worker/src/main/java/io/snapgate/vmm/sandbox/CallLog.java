package io.snapgate.vmm.sandbox;

import java.nio.charset.StandardCharsets;

/**
 * A sandbox's {@link GuestLog} within the per-call {@link GuestLimits}: once a call's lines or bytes would go
 * past them, that line and every later one of the call is dropped and counted, and the call ends with one
 * {@link GuestLog#dropped} summary. Used on the vCPU thread only.
 */
final class CallLog implements GuestLog {
    private final GuestLog out;
    private final GuestLimits limits;
    private long lines;
    private long bytes;
    private long droppedLines;
    private long droppedBytes;

    CallLog(GuestLog out, GuestLimits limits) {
        this.out = out;
        this.limits = limits;
    }

    /** A call starts: nothing logged yet. */
    void begin() {
        lines = 0;
        bytes = 0;
        droppedLines = 0;
        droppedBytes = 0;
    }

    /** Whether a line of {@code length} bytes may be written; counts it as dropped when not. */
    boolean admit(long length) {
        if (droppedLines == 0 && lines < limits.logLines() && length <= limits.logBytes() - bytes) {
            lines++;
            bytes += length;
            return true;
        }
        droppedLines++;
        droppedBytes += length;
        return false;
    }

    @Override
    public void log(int level, String message) {
        if (admit(message.getBytes(StandardCharsets.UTF_8).length)) {
            out.log(level, message);
        }
    }

    /** Writes a line {@link #admit} let through. */
    void write(int level, String message) {
        out.log(level, message);
    }

    /** The call {@code during} is over: the summary of what it dropped, if it dropped anything. */
    void end(String during) {
        if (droppedLines > 0) {
            out.dropped(new DroppedLog(during, droppedLines, droppedBytes, limits));
        }
    }
}
