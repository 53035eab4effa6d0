package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_CREATE_VCPU;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_SREGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_MEM_READONLY;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_MSR_FILTER_DEFAULT_DENY;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_MSR_FILTER_READ;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_MSR_FILTER_WRITE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_CPUID2;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_SIGNAL_MASK;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_USER_MEMORY_REGION;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_X86_SET_MSR_FILTER;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_FILTER_FLAGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_FILTER_RANGES;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_FILTER_RANGE_BASE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_FILTER_RANGE_BITMAP;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_FILTER_RANGE_FLAGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_FILTER_RANGE_NMSRS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.MSR_FILTER_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGION_FLAGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGION_GUEST_PHYS_ADDR;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGION_MEMORY_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGION_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGION_SLOT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGION_USERSPACE_ADDR;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_SIZE;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.vmm.sys.Libc;

/**
 * What one KVM vCPU is made of, kept across the {@link KvmVcpu}s that lease it from the backend's pool: a VM
 * with one vCPU (CPUID set, the kick signal's run mask set, every MSR access of the guest refused), its mmapped
 * {@code kvm_run}, its {@link HostPages} in memory slots 0 and 1, the vCPU's {@link FreshState}, and the native
 * buffers of the register blocks. A lease deletes its guest slots before it gives the machine back; every entry
 * loads all registers, the fresh state and the host pages, so nothing of the previous guest survives.
 */
final class KvmMachine implements AutoCloseable {
    /** IA32_FS_BASE; IA32_GS_BASE follows it. */
    private static final int MSR_FS_BASE = 0xC000_0100;
    /** Memory slot 0: the host pages the guest may not write (IDT, GDT, stubs). */
    static final int READ_ONLY_PAGES_SLOT = 0;
    /** Memory slot 1: the host pages the CPU writes or walks (tables, IST stack). The guest's slots follow. */
    static final int WRITABLE_PAGES_SLOT = 1;

    final int vm;
    final int fd;
    final Pointer run;
    final HostPages pages;
    final Memory region = new Memory(REGION_SIZE);
    /** The vCPU's own kvm_sregs after creation: the fields long mode does not set come from here. */
    final Memory resetSregs = new Memory(SREGS_SIZE);
    final Memory exitRegs = new Memory(REGS_SIZE);
    final Memory exitSregs = new Memory(SREGS_SIZE);
    final LongModeRegisters entry = new LongModeRegisters();
    final FreshState fresh;
    private final long runAddress;
    private final long runSize;
    /** The size slot {@link #WRITABLE_PAGES_SLOT} is registered with; it follows {@link HostPages#writableSize()}. */
    private long writableSlotSize;

    KvmMachine(KvmDevice device) {
        vm = device.createVm();
        int vcpu = -1;
        long mapped = 0;
        HostPages hostPages = null;
        FreshState freshState = null;
        try {
            refuseEveryMsr(vm);
            vcpu = KvmLib.ioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
            mapped = Libc.map(0, device.runSize(), Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, vcpu, 0);
            KvmLib.ioctl(vcpu, KVM_SET_CPUID2, device.supportedCpuid(), "KVM_SET_CPUID2");
            KickSignal.thisThread();
            try (Memory mask = KickSignal.runMask()) {
                KvmLib.ioctl(vcpu, KVM_SET_SIGNAL_MASK, Pointer.nativeValue(mask), "KVM_SET_SIGNAL_MASK");
            }
            KvmLib.ioctl(vcpu, KVM_GET_SREGS, Pointer.nativeValue(resetSregs), "KVM_GET_SREGS");
            freshState = new FreshState(vcpu);
            hostPages = new HostPages();
            setRegion(READ_ONLY_PAGES_SLOT, HostPages.GUEST_PHYSICAL, hostPages.hostAddress(),
                    HostPages.READ_ONLY_SIZE, KVM_MEM_READONLY);
            writableSlotSize = hostPages.writableSize();
            setRegion(WRITABLE_PAGES_SLOT, HostPages.writableGuestPhysical(),
                    hostPages.hostAddress() + HostPages.READ_ONLY_SIZE, writableSlotSize, 0);
        } catch (RuntimeException e) {
            if (hostPages != null) {
                hostPages.close();
            }
            if (freshState != null) {
                freshState.close();
            }
            if (mapped != 0) {
                Libc.unmap(mapped, device.runSize());
            }
            if (vcpu >= 0) {
                KvmLib.closeQuietly(vcpu);
            }
            KvmLib.closeQuietly(vm);
            closeBuffers();
            throw e;
        }
        this.fd = vcpu;
        this.runAddress = mapped;
        this.runSize = device.runSize();
        this.run = new Pointer(mapped);
        this.pages = hostPages;
        this.fresh = freshState;
    }

    /**
     * KVM_X86_SET_MSR_FILTER, denying by default with one range that allows FS_BASE and GS_BASE only: any other
     * RDMSR and WRMSR of the guest raises #GP. Those two are the FS and GS segments' bases, which every entry loads
     * afresh with the segment registers, and the SDK's entries set FS base (the C library's thread block) with
     * WRMSR. So no MSR needs resetting between calls but the one SWAPGS writes ({@link FreshState}), and the guest
     * cannot turn on what MSRs control (kvmclock and steal time, which make KVM write into guest memory; SYSCALL;
     * PAT and MTRR memory types; nested virtualisation; the TSC).
     */
    private static void refuseEveryMsr(int vm) {
        try (Memory filter = new Memory(MSR_FILTER_SIZE); Memory allowed = new Memory(Long.BYTES)) {
            filter.clear();
            allowed.clear();
            allowed.setByte(0, (byte) 0b11); // bit i: MSR FS_BASE + i may be read and written
            filter.setInt(MSR_FILTER_FLAGS, KVM_MSR_FILTER_DEFAULT_DENY);
            filter.setInt(MSR_FILTER_RANGES + MSR_FILTER_RANGE_FLAGS, KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE);
            filter.setInt(MSR_FILTER_RANGES + MSR_FILTER_RANGE_NMSRS, 2);
            filter.setInt(MSR_FILTER_RANGES + MSR_FILTER_RANGE_BASE, MSR_FS_BASE);
            filter.setLong(MSR_FILTER_RANGES + MSR_FILTER_RANGE_BITMAP, Pointer.nativeValue(allowed));
            KvmLib.ioctl(vm, KVM_X86_SET_MSR_FILTER, Pointer.nativeValue(filter), "KVM_X86_SET_MSR_FILTER");
        }
    }

    /** Registers slot {@link #WRITABLE_PAGES_SLOT} anew when the host pages in use changed size (KVM cannot resize). */
    void mapWritablePages() {
        long size = pages.writableSize();
        if (size == writableSlotSize) {
            return;
        }
        setRegion(WRITABLE_PAGES_SLOT, HostPages.writableGuestPhysical(), 0, 0, 0);
        writableSlotSize = 0;
        setRegion(WRITABLE_PAGES_SLOT, HostPages.writableGuestPhysical(),
                pages.hostAddress() + HostPages.READ_ONLY_SIZE, size, 0);
        writableSlotSize = size;
    }

    /** Registers (or, with size 0, deletes) memory slot {@code slot}. */
    void setRegion(int slot, long guest, long host, long size, int flags) {
        region.setInt(REGION_SLOT, slot);
        region.setInt(REGION_FLAGS, flags);
        region.setLong(REGION_GUEST_PHYS_ADDR, guest);
        region.setLong(REGION_MEMORY_SIZE, size);
        region.setLong(REGION_USERSPACE_ADDR, host);
        KvmLib.ioctl(vm, KVM_SET_USER_MEMORY_REGION, Pointer.nativeValue(region),
                "KVM_SET_USER_MEMORY_REGION(slot " + slot + ", guest 0x" + Long.toHexString(guest) + ", size 0x"
                        + Long.toHexString(size) + ")");
    }

    /** Destroys the VM and frees the buffers. */
    @Override
    public void close() {
        Libc.unmap(runAddress, runSize);
        KvmLib.closeQuietly(fd);
        KvmLib.closeQuietly(vm);
        pages.close();
        fresh.close();
        closeBuffers();
    }

    private void closeBuffers() {
        entry.close();
        region.close();
        resetSregs.close();
        exitRegs.close();
        exitSregs.close();
    }
}
