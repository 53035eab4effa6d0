package io.snapgate.vmm.sandbox;

/** The guest accessed memory it may not; {@link #address()} is the faulting guest address. */
public final class MemoryAccessException extends SandboxException {
    private final long address;

    public MemoryAccessException(long address, String message) {
        super(Failure.MEMORY_ACCESS_VIOLATION, message);
        this.address = address;
    }

    public long address() {
        return address;
    }
}
