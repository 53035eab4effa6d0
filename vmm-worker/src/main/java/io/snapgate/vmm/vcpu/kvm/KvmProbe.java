package io.snapgate.vmm.vcpu.kvm;

import com.sun.jna.Pointer;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.PageTables;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import io.snapgate.vmm.vcpu.VmExit;
import java.util.List;

/**
 * Runs one tiny long-mode guest on a new vCPU before the backend is declared usable: a /dev/kvm that opens is
 * not always one that runs snapgate's guests (a nested or para-virtualised KVM may refuse SSE2, for one). The
 * guest loads a double through RDI, doubles it with SSE2, converts it and exits with it:
 * {@code movsd xmm0, [rdi]; addsd xmm0, xmm0; cvtsd2si eax, xmm0; mov dx, 0x100; out dx, eax; hlt}.
 */
final class KvmProbe {
    private static final long CODE = MemoryLayout.IMAGE_BASE;
    private static final long DATA = CODE + MemoryLayout.PAGE_SIZE;
    private static final long STACK_TOP = DATA + 2 * MemoryLayout.PAGE_SIZE;
    private static final long SIZE = 2L << 20;
    private static final int DONE = 0x100;
    private static final byte[] PROGRAM = {
        (byte) 0xF2, 0x0F, 0x10, 0x07,              // movsd xmm0, [rdi]
        (byte) 0xF2, 0x0F, 0x58, (byte) 0xC0,       // addsd xmm0, xmm0
        (byte) 0xF2, 0x0F, 0x2D, (byte) 0xC0,       // cvtsd2si eax, xmm0
        0x66, (byte) 0xBA, 0x00, 0x01,              // mov dx, 0x100
        (byte) 0xEF, (byte) 0xF4,                   // out dx, eax; hlt
    };

    private KvmProbe() {
    }

    /** Null when the probe guest exits as it should, else what it did instead. */
    static String run(KvmDevice device) {
        long host = Libc.map(0, SIZE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        try (KvmVcpu vcpu = new KvmVcpu(new KvmMachine(device), KvmMachine::close)) {
            Pointer memory = new Pointer(host);
            PageTables.write(memory, SIZE);
            memory.write(CODE, PROGRAM, 0, PROGRAM.length);
            memory.setDouble(DATA, 1.5);
            vcpu.map(List.of(
                    new MemorySlot("page-tables", MemoryLayout.PAGE_TABLES, host + MemoryLayout.PAGE_TABLES,
                            PageTables.size(SIZE), Protection.READ_ONLY),
                    new MemorySlot("code", CODE, host + CODE, MemoryLayout.PAGE_SIZE, Protection.READ_EXECUTE),
                    new MemorySlot("data", DATA, host + DATA, 2 * MemoryLayout.PAGE_SIZE, Protection.READ_WRITE)),
                    new GuestCode("kvm-probe", () -> { }));
            vcpu.setEntryState(CpuState.longMode(STACK_TOP, DATA, MemoryLayout.PAGE_TABLES));
            VmExit exit = vcpu.enter(CODE);
            VmExit expected = new VmExit.IoOut(DONE, 3);
            return exit.equals(expected) ? null : "/dev/kvm opens but does not run a long-mode guest with SSE2 as"
                    + " expected: the probe guest gave " + exit + " instead of " + expected;
        } finally {
            Libc.unmap(host, SIZE);
        }
    }
}
