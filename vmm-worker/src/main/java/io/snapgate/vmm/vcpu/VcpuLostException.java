package io.snapgate.vmm.vcpu;

/**
 * The process that held a vCPU or guest memory died (an emulator crash caused by guest code) or was stopped:
 * nothing it held can be used again. Thrown by operations outside a run; a run reports {@link VmExit.Lost}.
 */
public final class VcpuLostException extends RuntimeException {
    public VcpuLostException(String message) {
        super(message);
    }
}
