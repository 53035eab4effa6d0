package io.snapgate.gateway.worker;

/**
 * How many idle stateless sandboxes one worker keeps mapped: at most {@code bytes} of reserved memory (each
 * sandbox its layout's writable bytes, the most it can dirty) and at most {@code sandboxes} of them, whichever
 * comes first; the least recently used go first. Of those, at most {@code vcpus} keep their vCPU between calls
 * ({@link HeldVcpus}).
 */
public record CacheLimits(int sandboxes, long bytes, int vcpus) {
    /**
     * vCPUs the idle sandboxes of one worker keep: on the emulated backend, engines holding translated code of as
     * many distinct guests (~2.7 MiB each), besides the idle engines of its emulator process's pool.
     */
    public static final int VCPUS_KEPT = 256;

    public CacheLimits {
        if (sandboxes < 1 || bytes < 1 || vcpus < 1) {
            throw new IllegalArgumentException("cache limits of " + sandboxes + " sandboxes, " + bytes
                    + " bytes and " + vcpus + " vCPUs must be positive");
        }
    }

    /** The node's idle sandbox memory split evenly between its {@code workers}. */
    public static CacheLimits perWorker(int sandboxes, long nodeBytes, int workers) {
        return new CacheLimits(sandboxes, Math.max(1, nodeBytes / workers), VCPUS_KEPT);
    }
}
