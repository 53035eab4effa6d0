package io.snapgate.gateway.snapshot;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.SandboxException;
import io.snapgate.vmm.vcpu.VcpuBackend;
import java.time.Duration;
import java.util.List;

/**
 * Turns a guest ELF into a snapshot: builds a sandbox with the gateway's host functions, runs the guest's init
 * within a deadline, and keeps the result. Runs the guest on the calling thread.
 */
public final class SnapshotBuilder {
    private final List<HostFunction> hostFunctions;
    private final VcpuBackend backend;
    private final Duration initDeadline;

    public SnapshotBuilder(List<HostFunction> hostFunctions, VcpuBackend backend, Duration initDeadline) {
        this.hostFunctions = List.copyOf(hostFunctions);
        this.backend = backend;
        this.initDeadline = initDeadline;
    }

    /**
     * The initialised guest, its snapshot in memory; the caller closes it (from any thread: the vCPU the init
     * ran on is given back here). An ELF that does not load, or whose init fails or runs past the deadline, is
     * an INVALID_GUEST error.
     */
    public BuiltGuest build(byte[] elf) {
        Sandbox sandbox;
        try {
            sandbox = Sandbox.builder(elf).hostFunctions(hostFunctions).backend(backend)
                    .config(SandboxConfig.DEFAULT.withCallTimeout(initDeadline)).build();
        } catch (SandboxException e) {
            throw new GatewayException(ErrorCode.INVALID_GUEST, "the guest does not build: " + e.getMessage());
        }
        sandbox.releaseVcpu();
        return new BuiltGuest(sandbox);
    }
}
