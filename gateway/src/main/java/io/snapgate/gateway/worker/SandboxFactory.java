package io.snapgate.gateway.worker;

import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.vcpu.VcpuBackend;
import java.util.List;

/**
 * Makes sandboxes straight from loaded snapshots, with the gateway's host functions, on one backend, with the
 * node's sandbox config (its guest limits) and guest log.
 */
public record SandboxFactory(List<HostFunction> hostFunctions, VcpuBackend backend, SandboxConfig config,
        GuestLog log) {
    public SandboxFactory {
        hostFunctions = List.copyOf(hostFunctions);
    }

    /** A new sandbox mapping the snapshot copy-on-write; it takes a vCPU on its first call. */
    public Sandbox create(SnapshotEntry entry) {
        return Sandbox.fromSnapshot(entry.snapshot(), hostFunctions, backend, config, log);
    }
}
