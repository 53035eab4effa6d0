package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.vcpu.kvm.KvmConstants.DTABLE_BASE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.DTABLE_LIMIT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_RDI;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_RFLAGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_RIP;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_RSP;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_BASE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_DB;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_DPL;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_G;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_L;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_LIMIT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_PRESENT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_S;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_SELECTOR;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_TYPE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SEGMENT_UNUSABLE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_CR0;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_CR2;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_CR3;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_CR4;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_CS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_DS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_EFER;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_ES;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_FS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_GDT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_GS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_IDT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_SS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_TR;

import com.sun.jna.Memory;
import io.snapgate.vmm.vcpu.CpuState;

/**
 * The two register blocks {@code enter} loads, built once per {@link CpuState}: {@code kvm_sregs} for 64-bit
 * long mode (flat segments, the GDT, IDT and TSS of {@link HostPages}, CR3 on its copy of the page tables, CR8
 * and the rest as a new vCPU has them) and {@code kvm_regs} (all zero but RSP, RDI, RFLAGS and RIP). EFER gets
 * NXE on top of the state's: the copy of the page tables marks data no-execute. The rest of the vCPU's state
 * is {@link FreshState}'s.
 */
final class LongModeRegisters implements AutoCloseable {
    /** EFER.NXE: without it the NX bit of {@link HostPages}' tables would be a reserved bit. */
    static final long EFER_NXE = 1L << 11;
    private static final int CODE_TYPE = 11;
    private static final int DATA_TYPE = 3;
    private static final int BUSY_TSS_TYPE = 11;

    final Memory sregs = new Memory(SREGS_SIZE);
    final Memory regs = new Memory(REGS_SIZE);

    /**
     * Fills the blocks for {@code state}, with CR3 at the copy of its page tables ({@code cr3}, see
     * {@link HostPages}); {@code resetSregs} is the vCPU's own {@code kvm_sregs} after creation
     * (it keeps the fields long mode does not set, such as the APIC base and LDTR).
     */
    void set(CpuState state, long cr3, Memory resetSregs) {
        sregs.write(0, resetSregs.getByteArray(0, SREGS_SIZE), 0, SREGS_SIZE);
        segment(SREGS_CS, HostPages.CODE_SELECTOR, CODE_TYPE, true);
        for (int data : new int[] {SREGS_DS, SREGS_ES, SREGS_FS, SREGS_GS, SREGS_SS}) {
            segment(data, HostPages.DATA_SELECTOR, DATA_TYPE, false);
        }
        sregs.setLong(SREGS_TR + SEGMENT_BASE, HostPages.TSS);
        sregs.setInt(SREGS_TR + SEGMENT_LIMIT, HostPages.TSS_LIMIT);
        sregs.setShort(SREGS_TR + SEGMENT_SELECTOR, (short) HostPages.TSS_SELECTOR);
        sregs.setByte(SREGS_TR + SEGMENT_TYPE, (byte) BUSY_TSS_TYPE);
        sregs.setByte(SREGS_TR + SEGMENT_PRESENT, (byte) 1);
        sregs.setByte(SREGS_TR + SEGMENT_S, (byte) 0);
        sregs.setByte(SREGS_TR + SEGMENT_G, (byte) 0);
        sregs.setByte(SREGS_TR + SEGMENT_UNUSABLE, (byte) 0);
        table(SREGS_GDT, HostPages.GDT, HostPages.GDT_LIMIT);
        table(SREGS_IDT, HostPages.IDT, HostPages.IDT_LIMIT);
        sregs.setLong(SREGS_CR0, state.cr0());
        sregs.setLong(SREGS_CR2, 0);
        sregs.setLong(SREGS_CR3, cr3);
        sregs.setLong(SREGS_CR4, state.cr4());
        sregs.setLong(SREGS_EFER, state.efer() | EFER_NXE);

        regs.clear();
        regs.setLong(REGS_RSP, state.rsp());
        regs.setLong(REGS_RDI, state.rdi());
        regs.setLong(REGS_RFLAGS, state.rflags());
    }

    void rip(long rip) {
        regs.setLong(REGS_RIP, rip);
    }

    private void segment(int offset, int selector, int type, boolean code) {
        sregs.setLong(offset + SEGMENT_BASE, 0);
        sregs.setInt(offset + SEGMENT_LIMIT, 0xFFFF_FFFF);
        sregs.setShort(offset + SEGMENT_SELECTOR, (short) selector);
        sregs.setByte(offset + SEGMENT_TYPE, (byte) type);
        sregs.setByte(offset + SEGMENT_PRESENT, (byte) 1);
        sregs.setByte(offset + SEGMENT_DPL, (byte) 0);
        sregs.setByte(offset + SEGMENT_DB, (byte) (code ? 0 : 1));
        sregs.setByte(offset + SEGMENT_S, (byte) 1);
        sregs.setByte(offset + SEGMENT_L, (byte) (code ? 1 : 0));
        sregs.setByte(offset + SEGMENT_G, (byte) 1);
        sregs.setByte(offset + SEGMENT_UNUSABLE, (byte) 0);
    }

    private void table(int offset, long base, int limit) {
        sregs.setLong(offset + DTABLE_BASE, base);
        sregs.setShort(offset + DTABLE_LIMIT, (short) limit);
    }

    @Override
    public void close() {
        sregs.close();
        regs.close();
    }
}
