package io.snapgate.vmm.vcpu;

import java.util.List;

/**
 * One virtual processor over one guest memory. All methods except {@link #requestStop()} must be
 * called from the single thread that owns the vCPU.
 */
public interface Vcpu extends AutoCloseable {

    /**
     * Replaces every memory slot with these; the host memory of the slots that are not code must stay mapped
     * until the next call or close. {@code code} names what the read+execute slots hold and leases their memory:
     * the backend takes over the lease (see {@link GuestCode}).
     */
    void map(List<MemorySlot> slots, GuestCode code);

    /** The registers {@link #enter(long)} loads. */
    void setEntryState(CpuState state);

    /** Loads the entry state and runs from {@code rip} until the next exit. */
    VmExit enter(long rip);

    /** Runs on from where the last {@link VmExit.IoOut} left off, registers as they were. */
    VmExit resume();

    /**
     * Asks a running {@link #enter}/{@link #resume} to return {@link VmExit.Interrupted} soon. Safe from any
     * thread. A request that arrives while the vCPU is not running may be lost: callers that must stop a call
     * repeat it until the owner reports the call over (the watchdog does). A stop can leave the guest where
     * resuming would repeat work (Unicorn 2.0.1 rewinds RIP to the start of the translated block when a stop
     * lands after a store in it), so end the call after a stop you asked for, and never let a stop reach a call
     * it was not meant for.
     */
    void requestStop();

    /** Releases the vCPU (back to a pool where the backend keeps one). */
    @Override
    void close();
}
