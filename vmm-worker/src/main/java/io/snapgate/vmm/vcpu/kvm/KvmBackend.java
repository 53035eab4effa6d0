package io.snapgate.vmm.vcpu.kvm;

import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuBackend;

/**
 * The hardware backend: each vCPU is a KVM vCPU in a VM of its own over the sandbox's memory (docs/kvm.md).
 * Needs a usable /dev/kvm (x86-64 Linux, read-write access). Creating a vCPU creates its VM, with no pool of
 * idle VMs yet; a sandbox keeps its vCPU between calls.
 */
public final class KvmBackend implements VcpuBackend {
    public static final String NAME = "kvm";

    private static final KvmBackend INSTANCE = new KvmBackend();

    private KvmBackend() {
    }

    private static final class Probe {
        static final KvmDevice DEVICE;
        /** Null when KVM works here, else why not. */
        static final String PROBLEM;

        static {
            KvmDevice device = null;
            String problem;
            try {
                device = KvmDevice.open();
                problem = KvmProbe.run(device);
            } catch (RuntimeException e) { // a failed system call, an ioctl KVM refused: each names itself
                problem = String.valueOf(e.getMessage());
            } catch (LinkageError e) {
                problem = "libc does not link through JNA: " + e;
            }
            if (problem != null && device != null) {
                device.close();
                device = null;
            }
            DEVICE = device;
            PROBLEM = problem;
        }
    }

    /** The process-wide backend; usable only where {@link #isAvailable()}. */
    public static KvmBackend instance() {
        return INSTANCE;
    }

    /** Whether /dev/kvm opens, passes the checks and runs a probe guest ({@link KvmProbe}); probed once per process. */
    public static boolean isAvailable() {
        return Probe.PROBLEM == null;
    }

    /** Why KVM is unavailable here, or null when it is available. */
    public static String unavailableReason() {
        return Probe.PROBLEM;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Vcpu createVcpu(String codeDigest) {
        if (!isAvailable()) {
            throw new IllegalStateException("the KVM backend is unavailable: " + Probe.PROBLEM);
        }
        return new KvmVcpu(Probe.DEVICE);
    }
}
