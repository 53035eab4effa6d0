package io.snapgate.gateway.snapshot;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.config.ByteSize;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.MemoryUse;
import io.snapgate.gateway.memory.Reservation;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxBuilder;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.SandboxException;
import io.snapgate.vmm.vcpu.VcpuBackend;
import java.util.List;

/**
 * Turns a guest ELF into a snapshot: reserves the guest's whole memory in the budget (its init writes an
 * in-memory image of that size), builds a sandbox with the gateway's host functions, runs the guest's init
 * within the config's call timeout and guest limits (its log lines to {@code log}), and keeps the result. Runs
 * the guest on the calling thread.
 */
public final class SnapshotBuilder {
    private final List<HostFunction> hostFunctions;
    private final VcpuBackend backend;
    private final SandboxConfig config;
    private final GuestLog log;
    private final MemoryBudget budget;

    /** {@code config}'s call timeout is the init's deadline. */
    public SnapshotBuilder(List<HostFunction> hostFunctions, VcpuBackend backend, SandboxConfig config, GuestLog log,
            MemoryBudget budget) {
        this.hostFunctions = List.copyOf(hostFunctions);
        this.backend = backend;
        this.config = config;
        this.log = log;
        this.budget = budget;
    }

    /**
     * The initialised guest, its snapshot in memory; the caller closes it (from any thread: the vCPU the init
     * ran on is given back here). An ELF that does not load, or whose init fails or runs past the deadline, is
     * an INVALID_GUEST error; a guest whose memory would pass {@code maxMemory} is a BAD_REQUEST, and one whose
     * memory does not fit the budget is refused ({@code OverBudget}).
     */
    public BuiltGuest build(GuestSource source, long maxMemory) {
        SandboxBuilder builder = Sandbox.builder(source.elf()).hostFunctions(hostFunctions).backend(backend)
                .config(config.withSizes(source.sizes())).initInput(source.initInput()).log(log);
        Reservation reservation;
        Sandbox sandbox;
        try {
            long size = builder.layout().size();
            if (size > maxMemory) {
                LayoutSizes sizes = source.sizes();
                throw GuestSizes.bad("the guest's memory would be " + ByteSize.describe(size) + " (its image, heap "
                        + ByteSize.describe(sizes.heap()) + ", stack " + ByteSize.describe(sizes.stack())
                        + ", input " + ByteSize.describe(sizes.input()) + ", output "
                        + ByteSize.describe(sizes.output()) + "), more than this node's maxGuestMemory of "
                        + ByteSize.describe(maxMemory));
            }
            reservation = budget.reserve(MemoryUse.BUILDS, size, "building this guest");
            try {
                sandbox = builder.build();
            } catch (RuntimeException e) {
                reservation.close();
                throw e;
            }
        } catch (SandboxException e) {
            throw new GatewayException(ErrorCode.INVALID_GUEST, "the guest does not build: " + e.getMessage());
        }
        sandbox.releaseVcpu();
        return new BuiltGuest(sandbox, reservation);
    }
}
