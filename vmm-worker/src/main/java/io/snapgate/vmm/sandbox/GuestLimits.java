package io.snapgate.vmm.sandbox;

/**
 * What one call (or a guest's init) may make the host do, beyond the time it runs: log lines and their bytes
 * (lines past either limit are dropped and counted, see {@link GuestLog#dropped}) and host calls (one past the
 * limit stops the call with {@link Failure#LIMIT_EXCEEDED}). Every host exit a guest can cause is bounded
 * here or by the buffers the frames live in; the defaults are far beyond what a well-behaved guest needs.
 *
 * @param logLines log lines per call, {@code sg_log} and the built-in {@code print} together
 * @param logBytes bytes of those lines per call (a line counts its message and a few bytes of framing)
 * @param hostCalls host calls per call
 */
public record GuestLimits(long logLines, long logBytes, long hostCalls) {
    public static final GuestLimits DEFAULT = new GuestLimits(1_000, 1 << 20, 1_000_000);

    public GuestLimits {
        if (logLines < 0 || logBytes < 0 || hostCalls < 0) {
            throw new IllegalArgumentException("guest limits must not be negative: " + logLines + " log lines, "
                    + logBytes + " log bytes, " + hostCalls + " host calls");
        }
    }
}
