package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.vcpu.kvm.KvmConstants.DEBUGREGS_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_DEBUGREGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_MSRS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_VCPU_EVENTS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_XCRS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_XSAVE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_DEBUGREGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_MSRS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_VCPU_EVENTS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_XCRS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_XSAVE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_VCPUEVENT_VALID_NMI_PENDING;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSRS_ENTRIES;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSRS_NMSRS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_ENTRY_INDEX;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_ENTRY_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.VCPU_EVENTS_FLAGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.VCPU_EVENTS_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.XCRS_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.XSAVE_SIZE;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The state of a vCPU just created, for what a guest can change and {@link LongModeRegisters} does not load:
 * x87, SSE and every XSAVE component (AVX included), XCR0, the debug registers, pending events (exceptions,
 * interrupts, NMIs, the interrupt shadow, SMM) and the one MSR a guest can write without WRMSR (KERNEL_GS_BASE,
 * through SWAPGS; every WRMSR and RDMSR is refused by the machine's MSR filter, see {@link KvmMachine}). Read
 * once from the new vCPU, loaded before every entry, so nothing a call leaves in them reaches the next call.
 */
final class FreshState implements AutoCloseable {
    /** IA32_KERNEL_GS_BASE. */
    static final int KERNEL_GS_BASE = 0xC000_0102;
    /** x87 control word and MXCSR in the XSAVE legacy area: the ABI's defaults, whatever the kernel's are. */
    private static final int XSAVE_FCW = 0;
    private static final int XSAVE_MXCSR = 24;
    private static final short FPU_CONTROL_DEFAULT = 0x37F;
    private static final int MXCSR_DEFAULT = 0x1F80;

    private final Memory xsave = new Memory(XSAVE_SIZE);
    private final Memory xcrs = new Memory(XCRS_SIZE);
    private final Memory debugRegisters = new Memory(DEBUGREGS_SIZE);
    private final Memory events = new Memory(VCPU_EVENTS_SIZE);
    private final Memory msrs = new Memory(MSRS_ENTRIES + MSR_ENTRY_SIZE);

    /** Reads the state of the new vCPU {@code fd}. */
    FreshState(int fd) {
        try {
            get(fd, KVM_GET_XSAVE, xsave, "KVM_GET_XSAVE");
            xsave.setShort(XSAVE_FCW, FPU_CONTROL_DEFAULT);
            xsave.setInt(XSAVE_MXCSR, MXCSR_DEFAULT);
            get(fd, KVM_GET_XCRS, xcrs, "KVM_GET_XCRS");
            get(fd, KVM_GET_DEBUGREGS, debugRegisters, "KVM_GET_DEBUGREGS");
            get(fd, KVM_GET_VCPU_EVENTS, events, "KVM_GET_VCPU_EVENTS");
            // the flags KVM reported say which fields the set applies; NMI pending is an input-only one
            events.setInt(VCPU_EVENTS_FLAGS, events.getInt(VCPU_EVENTS_FLAGS) | KVM_VCPUEVENT_VALID_NMI_PENDING);
            msrs.clear();
            msrs.setInt(MSRS_NMSRS, 1);
            msrs.setInt(MSRS_ENTRIES + MSR_ENTRY_INDEX, KERNEL_GS_BASE);
            if (KvmLib.ioctl(fd, KVM_GET_MSRS, Pointer.nativeValue(msrs), "KVM_GET_MSRS(KERNEL_GS_BASE)") != 1) {
                throw new KvmException("KVM_GET_MSRS did not read KERNEL_GS_BASE");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void get(int fd, int request, Memory into, String what) {
        into.clear();
        KvmLib.ioctl(fd, request, Pointer.nativeValue(into), what);
    }

    /** Loads it all into vCPU {@code fd}: five ioctls. XCR0 goes before the XSAVE image, which it must allow. */
    void load(int fd) {
        KvmLib.ioctl(fd, KVM_SET_XCRS, Pointer.nativeValue(xcrs), "KVM_SET_XCRS");
        KvmLib.ioctl(fd, KVM_SET_XSAVE, Pointer.nativeValue(xsave), "KVM_SET_XSAVE");
        KvmLib.ioctl(fd, KVM_SET_DEBUGREGS, Pointer.nativeValue(debugRegisters), "KVM_SET_DEBUGREGS");
        KvmLib.ioctl(fd, KVM_SET_VCPU_EVENTS, Pointer.nativeValue(events), "KVM_SET_VCPU_EVENTS");
        if (KvmLib.ioctl(fd, KVM_SET_MSRS, Pointer.nativeValue(msrs), "KVM_SET_MSRS(KERNEL_GS_BASE)") != 1) {
            throw new KvmException("KVM_SET_MSRS did not write KERNEL_GS_BASE");
        }
    }

    @Override
    public void close() {
        xsave.close();
        xcrs.close();
        debugRegisters.close();
        events.close();
        msrs.close();
    }
}
