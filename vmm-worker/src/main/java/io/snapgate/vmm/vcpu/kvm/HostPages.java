package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.memory.PageTables.ACCESSED;
import static io.snapgate.vmm.memory.PageTables.DIRTY;
import static io.snapgate.vmm.memory.PageTables.HUGE;
import static io.snapgate.vmm.memory.PageTables.PRESENT;
import static io.snapgate.vmm.memory.PageTables.WRITABLE;

import com.sun.jna.Pointer;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.PageTables;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.MemorySlot;
import java.util.HashSet;
import java.util.Set;

/**
 * The pages a KVM vCPU adds to its guest, in one writable memory slot at guest physical {@link #GUEST_PHYSICAL}
 * (past the largest guest memory, so the guest's identity map never reaches them):
 * <ul>
 * <li>an IDT whose 256 gates lead to stubs that exit through {@link #PORT}, on their own IST stack, so a CPU
 *     exception comes back to the host with its vector and address (as on the emulated backend) instead of
 *     ending in a triple fault that loses both. Hyperlight's guests install an IDT for the same reason; here
 *     the host brings it, so every guest image and snapshot works as is;
 * <li>a copy of the image's page tables, which CR3 points at. With the tables in a read-only slot (the image
 *     keeps them read-only), AMD SVM with nested paging (as run-with-kvm's QEMU emulates it) reports the
 *     CPU's own page walk as a write fault: every access became a nested page fault that KVM can only
 *     emulate, and its emulator cannot run SSE arithmetic (docs/kvm.md). The copy is made
 *     once per entry state; entries that point at other tables of the image point into the copy, the 2 MiB
 *     leaf entries still map guest memory. PML4 entry 511 maps {@link #LINEAR}.
 * </ul>
 * <pre>
 * page 0  PDPT     \
 * page 1  PD        } map LINEAR: pages 3..6 at LINEAR + 0 .. 3 pages
 * page 2  PT       /
 * page 3  IDT      256 interrupt gates, each to its own stub, on IST 1
 * page 4  GDT+TSS  null, 64-bit code (0x08), data (0x10), TSS (0x18); the TSS at 0x100 holds IST 1
 * page 5  stubs    vector v at 16 * v: mov eax, v; mov dx, PORT; out dx, eax; hlt
 * page 6  stack    the IST 1 stack: the CPU pushes the exception frame here, whatever the guest's RSP was
 * page 7  tables   the copy of the image's page tables (up to 18 pages: 16 GiB of guest memory)
 * </pre>
 * Only the stack is writable through the guest's linear mapping (CR0.WP is on). The guest runs at ring 0 and
 * could reload IDTR or CR3 itself: that only spoils its own error report (a triple fault then,
 * {@code KVM_EXIT_SHUTDOWN}), never the host or another sandbox.
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
    private static final int PDPT_PAGE = 0;
    private static final int PD_PAGE = 1;
    private static final int PT_PAGE = 2;
    private static final int IDT_PAGE = 3;
    private static final int GDT_PAGE = 4;
    private static final int STUB_PAGE = 5;
    private static final int STACK_PAGE = 6;
    private static final int TABLES_PAGE = 7;
    private static final long MAX_TABLES = PageTables.size(MemoryLayout.MAX_SIZE);
    static final long SIZE = TABLES_PAGE * PAGE + MAX_TABLES;

    static final long IDT = LINEAR;
    static final int IDT_LIMIT = 256 * 16 - 1;
    static final long GDT = LINEAR + PAGE;
    static final int GDT_LIMIT = 5 * 8 - 1;
    static final long TSS = GDT + 0x100;
    static final int TSS_LIMIT = 103;
    static final long STUBS = LINEAR + 2 * PAGE;
    private static final long STACK_TOP = LINEAR + 4 * PAGE;

    private static final long ADDRESS = 0x000F_FFFF_FFFF_F000L;
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

    private final long host;
    private final Pointer memory;
    private boolean closed;

    HostPages() {
        host = Libc.map(0, SIZE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        memory = new Pointer(host);
        writeLinearMapping();
        writeIdtAndStubs();
        writeGdtAndTss();
    }

    long hostAddress() {
        return host;
    }

    private static long physical(int page) {
        return GUEST_PHYSICAL + page * PAGE;
    }

    private void writeLinearMapping() {
        memory.setLong(PDPT_PAGE * PAGE, physical(PD_PAGE) | PRESENT | WRITABLE | ACCESSED);
        memory.setLong(PD_PAGE * PAGE, physical(PT_PAGE) | PRESENT | WRITABLE | ACCESSED);
        for (int page = IDT_PAGE; page <= STACK_PAGE; page++) {
            long writable = page == STACK_PAGE ? WRITABLE : 0;
            memory.setLong(PT_PAGE * PAGE + (page - IDT_PAGE) * 8L, physical(page) | PRESENT | writable | ACCESSED
                    | DIRTY);
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
     * Copies the image's page tables (the slot {@code tables}, whose PML4 is at guest {@code cr3}) and points
     * every entry that leads to another table of the slot at that table's copy. Returns the CR3 to run with.
     */
    long copyTables(MemorySlot tables, long cr3) {
        if (tables.size() > MAX_TABLES) {
            throw new IllegalArgumentException("the page tables take " + tables.size() + " bytes; the KVM backend"
                    + " copies at most " + MAX_TABLES);
        }
        Libc.copy(host + TABLES_PAGE * PAGE, tables.hostAddress(), tables.size());
        long root = TABLES_PAGE * PAGE + (cr3 - tables.guestAddress());
        if ((memory.getLong(root + TOP_ENTRY * 8L) & PRESENT) != 0) {
            throw new IllegalArgumentException("the page tables map the top 512 GiB (PML4 entry 511), which the KVM"
                    + " backend keeps for its exception pages");
        }
        relocate(root, 4, tables, physical(TABLES_PAGE) - tables.guestAddress(), new HashSet<>());
        memory.setLong(root + TOP_ENTRY * 8L, physical(PDPT_PAGE) | PRESENT | WRITABLE | ACCESSED);
        return GUEST_PHYSICAL + root;
    }

    /** Moves the table-to-table entries of the table at offset {@code table} (each table once) by {@code delta}. */
    private void relocate(long table, int level, MemorySlot tables, long delta, Set<Long> done) {
        if (!done.add(table)) {
            return;
        }
        for (int i = 0; i < 512; i++) {
            long at = table + i * 8L;
            long entry = memory.getLong(at);
            boolean leaf = level == 1 || (level < 4 && (entry & HUGE) != 0);
            long next = entry & ADDRESS;
            if ((entry & PRESENT) != 0 && !leaf && next >= tables.guestAddress() && next < tables.guestEnd()) {
                memory.setLong(at, entry + delta);
                relocate(TABLES_PAGE * PAGE + next - tables.guestAddress(), level - 1, tables, delta, done);
            }
        }
    }

    /** Whether {@code rip} lies in the stubs: an exit from there reports an exception. */
    static boolean isStub(long rip) {
        return rip >= STUBS && rip < STUBS + PAGE;
    }

    /** The faulting instruction's address from the frame the CPU pushed on the IST stack. */
    long faultRip() {
        return memory.getLong(STACK_PAGE * PAGE + PAGE - FRAME_RIP);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.unmap(host, SIZE);
        }
    }
}
