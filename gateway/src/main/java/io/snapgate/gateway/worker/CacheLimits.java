package io.snapgate.gateway.worker;

/**
 * How much idle stateless sandboxes one worker keeps: at most {@code bytes} of reserved memory, each sandbox its
 * layout's writable bytes (the most it can dirty) and each vCPU it holds between calls {@code vcpuBytes}, and at
 * most {@code sandboxes} of them, whichever comes first; the least recently used go first ({@link SandboxCache},
 * {@link HeldVcpus}).
 */
public record CacheLimits(int sandboxes, long bytes, long vcpuBytes) {
    /**
     * What a held vCPU is charged: on the emulated backend a Unicorn engine that ran a call of testguest holds
     * 942 KiB resident in its emulator process, that sandbox's private pages included (EngineFootprintTest, with
     * transparent huge pages off there; 2,951 KiB with them on), rounded up; a guest that runs more code keeps
     * more translations. A KVM vCPU costs less: the charge is an upper bound there.
     */
    public static final long VCPU_BYTES = 1L << 20;

    public CacheLimits {
        if (sandboxes < 1 || bytes < 1 || vcpuBytes < 0) {
            throw new IllegalArgumentException("cache limits of " + sandboxes + " sandboxes and " + bytes
                    + " bytes must be positive, " + vcpuBytes + " bytes per vCPU not negative");
        }
    }

    /** The node's idle sandbox memory split evenly between its {@code workers}. */
    public static CacheLimits perWorker(int sandboxes, long nodeBytes, int workers) {
        return new CacheLimits(sandboxes, Math.max(1, nodeBytes / workers), VCPU_BYTES);
    }
}
