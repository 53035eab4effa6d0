package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.memory.PageTables.ACCESSED;
import static io.snapgate.vmm.memory.PageTables.DIRTY;
import static io.snapgate.vmm.memory.PageTables.PRESENT;
import static io.snapgate.vmm.memory.PageTables.WRITABLE;

import com.sun.jna.Pointer;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.PageTables;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.MemorySlot;
import java.util.List;

/**
 * The pages a KVM vCPU adds to its guest, at guest physical {@link #GUEST_PHYSICAL} (past the largest guest
 * memory, so the guest's identity map never reaches them), in two memory slots:
 * <ul>
 * <li>read-only: an IDT whose 256 gates lead to stubs that exit through {@link #PORT}, on their own IST stack,
 *     so a CPU exception comes back to the host with its vector and address (as on the emulated backend)
 *     instead of ending in a triple fault that loses both, and the GDT and TSS. Hyperlight's guests install an
 *     IDT for the same reason; here the host brings it, so every guest image and snapshot works as is;
 * <li>writable: the tables that map them at {@link #LINEAR}, the IST stack, and the copy of the image's page
 *     tables that CR3 points at ({@link GuestTables}: relocated, data no-execute). With the tables in a read-only
 *     slot (the image keeps them read-only), AMD SVM with nested paging treats the CPU's own page walk as a
 *     write: every access became a nested page fault that KVM can only emulate, and its emulator cannot run SSE
 *     arithmetic (docs/kvm.md). So these pages must be writable, and the guest, at ring 0, can reach them through
 *     page tables of its own: {@link #restore()} puts back all of them before every entry, from a copy the guest
 *     cannot reach, so nothing written there outlives the call. The slot is exactly as large as what is in use.
 * </ul>
 * <pre>
 * page 0  IDT      256 interrupt gates, each to its own stub, on IST 1             read-only slot
 * page 1  GDT+TSS  null, 64-bit code (0x08), data (0x10), TSS (0x18); the TSS at 0x100 holds IST 1
 * page 2  stubs    vector v at 16 * v: mov eax, v; mov dx, PORT; out dx, eax; hlt
 * page 3  PDPT     \                                                                writable slot
 * page 4  PD        } map LINEAR: pages 0, 1, 2 and 6 at LINEAR + 0 .. 3 pages
 * page 5  PT       /
 * page 6  stack    the IST 1 stack: the CPU pushes the exception frame here, whatever the guest's RSP was
 * page 7  tables   the copy of the image's page tables, then the tables that split its 2 MiB pages
 * </pre>
 * Through the linear mapping only the stack is writable (CR0.WP is on) and only the stubs executable.
 */
final class HostPages implements AutoCloseable {
    /** Guest physical address of page 0: 16 GiB, where the largest guest memory ends. */
    static final long GUEST_PHYSICAL = MemoryLayout.MAX_SIZE;
    /** Guest linear address of the IDT page: the start of the top 512 GiB (PML4 entry 511). */
    static final long LINEAR = 0xFFFF_FF80_0000_0000L;
    /** The port the stubs exit through; no ABI port (docs/abi.md), and only trusted from a stub's RIP. */
    static final int PORT = 0xFFF0;
    static final int CODE_SELECTOR = 0x08;
    static final int DATA_SELECTOR = 0x10;
    static final int TSS_SELECTOR = 0x18;

    static final long PAGE = MemoryLayout.PAGE_SIZE;
    private static final int IDT_PAGE = 0;
    private static final int GDT_PAGE = 1;
    private static final int STUB_PAGE = 2;
    private static final int PDPT_PAGE = 3;
    private static final int PD_PAGE = 4;
    private static final int PT_PAGE = 5;
    private static final int STACK_PAGE = 6;
    private static final int TABLES_PAGE = 7;
    /** Twice what the image's tables take for the largest memory: the copy, and as many pages again for splits. */
    private static final int MAX_TABLE_PAGES = (int) (2 * PageTables.size(MemoryLayout.MAX_SIZE) / PAGE);
    static final long READ_ONLY_SIZE = PDPT_PAGE * PAGE;
    private static final long WRITABLE_MAX = (TABLES_PAGE - PDPT_PAGE + MAX_TABLE_PAGES) * PAGE;
    static final long SIZE = READ_ONLY_SIZE + WRITABLE_MAX;

    static final long IDT = LINEAR;
    static final int IDT_LIMIT = 256 * 16 - 1;
    static final long GDT = LINEAR + PAGE;
    static final int GDT_LIMIT = 5 * 8 - 1;
    static final long TSS = GDT + 0x100;
    static final int TSS_LIMIT = 103;
    static final long STUBS = LINEAR + 2 * PAGE;
    private static final long STACK_TOP = LINEAR + 4 * PAGE;

    private static final int TOP_ENTRY = 511;
    private static final int STUB_SIZE = 16;
    /** Present, DPL 0, 64-bit interrupt gate; IST 1. */
    private static final int GATE_TYPE = 0x8E;
    private static final int GATE_IST = 1;
    /** Accessed bits preset so the CPU never writes the GDT. */
    private static final long CODE_DESCRIPTOR = 0x00AF_9B00_0000_FFFFL;
    private static final long DATA_DESCRIPTOR = 0x00CF_9300_0000_FFFFL;
    private static final int TSS_TYPE_AVAILABLE = 0x89;
    private static final int TSS_IST1 = 0x24;
    private static final int TSS_IOMAP_BASE = 0x66;
    /** The CPU's frame on the IST stack: [error code], RIP, CS, RFLAGS, RSP, SS; RIP is 5 words below the top. */
    private static final int FRAME_RIP = 5 * 8;
    private static final int FRAME_ERROR_CODE = 6 * 8;

    /** What the guest runs on; {@link #pristine} holds what its writable pages must contain. */
    private final long host;
    private final Pointer memory;
    private final long pristine;
    private long writableSize;
    private boolean closed;

    HostPages() {
        host = Libc.map(0, SIZE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        pristine = Libc.map(0, WRITABLE_MAX, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS,
                -1, 0);
        memory = new Pointer(host);
        writeIdtAndStubs();
        writeGdtAndTss();
        writeLinearMapping(new Pointer(pristine));
        writableSize = (TABLES_PAGE - PDPT_PAGE) * PAGE;
        restore();
    }

    long hostAddress() {
        return host;
    }

    /** Guest physical address of the writable slot, whose host memory starts {@link #READ_ONLY_SIZE} in. */
    static long writableGuestPhysical() {
        return GUEST_PHYSICAL + READ_ONLY_SIZE;
    }

    /** Bytes of the writable slot in use. */
    long writableSize() {
        return writableSize;
    }

    private static long physical(int page) {
        return GUEST_PHYSICAL + page * PAGE;
    }

    /** At offset 0 of {@code writable} (page {@link #PDPT_PAGE}): the tables that map the host pages at LINEAR. */
    private static void writeLinearMapping(Pointer writable) {
        writable.setLong(0, physical(PD_PAGE) | PRESENT | WRITABLE | ACCESSED);
        writable.setLong(PAGE, physical(PT_PAGE) | PRESENT | WRITABLE | ACCESSED);
        int[] mapped = {IDT_PAGE, GDT_PAGE, STUB_PAGE, STACK_PAGE};
        for (int i = 0; i < mapped.length; i++) {
            long writableBit = mapped[i] == STACK_PAGE ? WRITABLE : 0;
            long noExecute = mapped[i] == STUB_PAGE ? 0 : GuestTables.NO_EXECUTE;
            writable.setLong(2 * PAGE + i * 8L, physical(mapped[i]) | PRESENT | writableBit | ACCESSED | DIRTY
                    | noExecute);
        }
    }

    private void writeIdtAndStubs() {
        for (int vector = 0; vector < 256; vector++) {
            long target = STUBS + (long) vector * STUB_SIZE;
            long gate = IDT_PAGE * PAGE + vector * 16L;
            memory.setShort(gate, (short) target);
            memory.setShort(gate + 2, (short) CODE_SELECTOR);
            memory.setByte(gate + 4, (byte) GATE_IST);
            memory.setByte(gate + 5, (byte) GATE_TYPE);
            memory.setShort(gate + 6, (short) (target >>> 16));
            memory.setInt(gate + 8, (int) (target >>> 32));
            byte[] stub = {
                (byte) 0xB8, (byte) vector, 0, 0, 0,                  // mov eax, vector
                0x66, (byte) 0xBA, (byte) PORT, (byte) (PORT >>> 8),   // mov dx, PORT
                (byte) 0xEF, (byte) 0xF4,                             // out dx, eax; hlt
            };
            memory.write(STUB_PAGE * PAGE + (long) vector * STUB_SIZE, stub, 0, stub.length);
        }
    }

    private void writeGdtAndTss() {
        long gdt = GDT_PAGE * PAGE;
        memory.setLong(gdt + CODE_SELECTOR, CODE_DESCRIPTOR);
        memory.setLong(gdt + DATA_SELECTOR, DATA_DESCRIPTOR);
        long low = TSS_LIMIT | ((TSS & 0xFF_FFFFL) << 16) | ((long) TSS_TYPE_AVAILABLE << 40)
                | (((TSS >>> 24) & 0xFF) << 56);
        memory.setLong(gdt + TSS_SELECTOR, low);
        memory.setLong(gdt + TSS_SELECTOR + 8, TSS >>> 32);
        long tss = gdt + (TSS - GDT);
        memory.setLong(tss + TSS_IST1, STACK_TOP);
        memory.setShort(tss + TSS_IOMAP_BASE, (short) (TSS_LIMIT + 1));
    }

    /**
     * Writes the copy of the image's page tables (the slot {@code tables}, whose PML4 is at guest {@code cr3}),
     * with no-execute on every page outside {@code code} ({@link GuestTables}), puts it in place and returns the
     * CR3 to run with. {@link #writableSize()} then covers it; the caller resizes the slot to match.
     */
    long copyTables(MemorySlot tables, long cr3, List<MemorySlot> code) {
        long offset = (TABLES_PAGE - PDPT_PAGE) * PAGE;
        GuestTables.Copy copy = GuestTables.copy(new Pointer(pristine + offset), physical(TABLES_PAGE), MAX_TABLE_PAGES,
                tables, cr3, code);
        Pointer root = new Pointer(pristine + offset + copy.root());
        if ((root.getLong(TOP_ENTRY * 8L) & PRESENT) != 0) {
            throw new IllegalArgumentException("the page tables map the top 512 GiB (PML4 entry 511), which the KVM"
                    + " backend keeps for its exception pages");
        }
        root.setLong(TOP_ENTRY * 8L, physical(PDPT_PAGE) | PRESENT | WRITABLE | ACCESSED);
        writableSize = offset + copy.pages() * PAGE;
        restore();
        return physical(TABLES_PAGE) + copy.root();
    }

    /** Puts back the writable pages as {@link #copyTables} made them: the tables, and a zeroed IST stack. */
    void restore() {
        Libc.copy(host + READ_ONLY_SIZE, pristine, writableSize);
    }

    /** Whether {@code rip} lies in the stubs: an exit from there reports an exception. */
    static boolean isStub(long rip) {
        return rip >= STUBS && rip < STUBS + PAGE;
    }

    /** The faulting instruction's address from the frame the CPU pushed on the IST stack. */
    long faultRip() {
        return memory.getLong(STACK_PAGE * PAGE + PAGE - FRAME_RIP);
    }

    /** The error code the CPU pushed below the frame (for the exceptions that have one, such as #PF). */
    long faultErrorCode() {
        return memory.getLong(STACK_PAGE * PAGE + PAGE - FRAME_ERROR_CODE);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.unmap(host, SIZE);
            Libc.unmap(pristine, WRITABLE_MAX);
        }
    }
}
