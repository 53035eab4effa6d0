package io.snapgate.gateway.memory;

/** What a reservation of the {@link MemoryBudget} is for; each is a metric tag and a field of /health. */
public enum MemoryUse {
    /** Session sandboxes: the writable bytes of their layouts, and the in-memory copy a save leaves them. */
    SESSIONS("sessions"),
    /** The stateless sandboxes the workers keep mapped between calls: the writable bytes of their layouts. */
    CACHED_SANDBOXES("cachedSandboxes"),
    /**
     * The vCPUs those sandboxes keep between calls: each is charged {@code CacheLimits.VCPU_BYTES}, what an
     * emulated one (a Unicorn engine with the guest's translated code) was measured to hold resident.
     */
    CACHED_VCPUS("cachedVcpus"),
    /** Guests being built from uploaded ELFs: their whole memory, which the init writes in memory. */
    BUILDS("builds"),
    /** Request bodies while they are received and handled. */
    REQUEST_BODIES("requestBodies");

    private final String label;

    MemoryUse(String label) {
        this.label = label;
    }

    /** The name in /health and in the metric's {@code use} tag. */
    public String label() {
        return label;
    }
}
