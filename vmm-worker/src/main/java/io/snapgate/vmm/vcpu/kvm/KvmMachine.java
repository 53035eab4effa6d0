package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_CREATE_VCPU;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_SREGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_CPUID2;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_SIGNAL_MASK;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_USER_MEMORY_REGION;
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
 * with one vCPU (CPUID set, the kick signal's run mask set), its mmapped {@code kvm_run}, its
 * {@link HostPages} in memory slot 0, and the native buffers of the register blocks. A lease deletes its
 * guest slots before it gives the machine back; every entry loads all registers, so nothing of the previous
 * guest survives.
 */
final class KvmMachine implements AutoCloseable {
    /** Memory slot 0: the host pages. The guest's slots follow. */
    static final int PAGES_SLOT = 0;

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
    private final long runAddress;
    private final long runSize;

    KvmMachine(KvmDevice device) {
        vm = device.createVm();
        int vcpu = -1;
        long mapped = 0;
        HostPages hostPages = null;
        try {
            vcpu = KvmLib.ioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
            mapped = Libc.map(0, device.runSize(), Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, vcpu, 0);
            KvmLib.ioctl(vcpu, KVM_SET_CPUID2, device.supportedCpuid(), "KVM_SET_CPUID2");
            KickSignal.thisThread();
            try (Memory mask = KickSignal.runMask()) {
                KvmLib.ioctl(vcpu, KVM_SET_SIGNAL_MASK, Pointer.nativeValue(mask), "KVM_SET_SIGNAL_MASK");
            }
            KvmLib.ioctl(vcpu, KVM_GET_SREGS, Pointer.nativeValue(resetSregs), "KVM_GET_SREGS");
            hostPages = new HostPages();
            setRegion(PAGES_SLOT, HostPages.GUEST_PHYSICAL, hostPages.hostAddress(), HostPages.SIZE, 0);
        } catch (RuntimeException e) {
            if (hostPages != null) {
                hostPages.close();
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
