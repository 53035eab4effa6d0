package io.snapgate.vmm.vcpu.kvm;

import io.snapgate.vmm.vcpu.Vcpu;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import io.snapgate.vmm.vcpu.VcpuBackend;

/**
 * The hardware backend: each vCPU is a KVM vCPU in a VM of its own over the sandbox's memory (docs/kvm.md).
 * Needs a usable /dev/kvm (x86-64 Linux, read-write access). Closed vCPUs leave their VM ({@link KvmMachine})
 * in a pool of at most {@link #MAX_IDLE_MACHINES}, so the next vCPU skips creating one.
 */
public final class KvmBackend implements VcpuBackend {
    public static final String NAME = "kvm";
    /** Idle VMs kept: each holds two descriptors, its kvm_run page and ~100 KiB of host pages. */
    public static final int MAX_IDLE_MACHINES = 64;

    private static final KvmBackend INSTANCE = new KvmBackend();

    private final Deque<KvmMachine> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

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
        KvmMachine machine = idle.pollFirst();
        if (machine == null) {
            machine = new KvmMachine(Probe.DEVICE);
        } else {
            idleCount.decrementAndGet();
        }
        return new KvmVcpu(machine, this::giveBack);
    }

    private void giveBack(KvmMachine machine) {
        if (idleCount.incrementAndGet() <= MAX_IDLE_MACHINES) {
            idle.offerFirst(machine);
        } else {
            idleCount.decrementAndGet();
            machine.close();
        }
    }

    /** VMs waiting in the pool. */
    public int idleMachines() {
        return idleCount.get();
    }
}
