package io.snapgate.vmm.vcpu;

import com.sun.jna.Pointer;
import io.snapgate.vmm.sys.Libc;
import java.util.List;

/**
 * A hand-built guest: anonymous host memory where guest physical address = offset, identity page tables for
 * the first 2 MiB, and slots laid out like the ABI's (null guard unmapped, page tables read-only, code
 * read+execute, data and stack read+write). One page past the page-tabled range is mapped too, so a test can
 * touch memory that is there but has no page table entry.
 *
 * <pre>
 * 0x000000  null guard      unmapped
 * 0x002000  PML4, PDPT, PD  read-only
 * 0x100000  code            read+execute, 2 pages
 * 0x102000  data            read+write
 * 0x103000  stack           read+write, 2 pages, top 0x105000
 * 0x200000  untabled        read+write, no page table entry
 * </pre>
 */
public final class TinyGuest implements AutoCloseable {
    public static final long PML4 = 0x2000;
    public static final long CODE = 0x100000;
    public static final long CODE_SIZE = 0x2000;
    public static final long DATA = 0x102000;
    public static final long STACK_TOP = 0x105000;
    /** Mapped, but past the 2 MiB the page tables cover. */
    public static final long UNTABLED = 0x200000;
    /** Neither mapped nor page-tabled. */
    public static final long NOWHERE = 0x400000;

    private static final long PAGE = 0x1000;
    private static final long SIZE = UNTABLED + PAGE;
    /** Present | writable | accessed, and dirty | page size (2 MiB) on the PD entry: the CPU never writes them. */
    private static final long TABLE_ENTRY = 0x23;
    private static final long LARGE_PAGE_ENTRY = 0xE3;

    private final long host;
    private final Pointer memory;
    private boolean closed;

    public TinyGuest() {
        host = Libc.map(0, SIZE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        memory = new Pointer(host);
        // the three tables are the pages at 0x2000, 0x3000 and 0x4000, well inside SIZE
        memory.setLong(PML4, 0x3000 | TABLE_ENTRY);
        memory.setLong(0x3000, 0x4000 | TABLE_ENTRY);
        memory.setLong(0x4000, 0x0 | LARGE_PAGE_ENTRY);
    }

    public List<MemorySlot> slots() {
        return List.of(
                slot("tables", PML4, 3 * PAGE, Protection.READ_ONLY),
                slot("code", CODE, CODE_SIZE, Protection.READ_EXECUTE),
                slot("data", DATA, PAGE, Protection.READ_WRITE),
                slot("stack", STACK_TOP - 2 * PAGE, 2 * PAGE, Protection.READ_WRITE),
                slot("untabled", UNTABLED, PAGE, Protection.READ_WRITE));
    }

    private MemorySlot slot(String name, long guest, long size, Protection protection) {
        return new MemorySlot(name, guest, host + guest, size, protection);
    }

    /** The ABI's entry state, with RDI pointing at the data page. */
    public CpuState entryState() {
        return CpuState.longMode(STACK_TOP, DATA, PML4);
    }

    /** Writes machine code at {@link #CODE}; returns its address. */
    public long code(byte[] code) {
        return code(CODE, code);
    }

    /** Writes machine code at {@code address} inside the code slot; returns the address. */
    public long code(long address, byte[] code) {
        if (address < CODE || address + code.length > CODE + CODE_SIZE) {
            throw new IllegalArgumentException("code does not fit the code slot");
        }
        memory.write(address, code, 0, code.length);
        return address;
    }

    /**
     * Puts a fresh zero page under guest page {@code guestAddress} with {@code MAP_FIXED} (the host memory behind
     * a slot changes without the slot changing, as a sandbox's snapshot and restore do); writes {@code value}
     * at its start.
     */
    public void remapPage(long guestAddress, long value) {
        Libc.map(host + inside(guestAddress, (int) PAGE), PAGE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED, -1, 0);
        memory.setLong(guestAddress, value);
    }

    /** Drops the host page under guest page {@code guestAddress} ({@code MADV_DONTNEED}): it reads zero again. */
    public void dropPage(long guestAddress) {
        Libc.adviseDontNeed(host + inside(guestAddress, (int) PAGE), PAGE);
    }

    public long readLong(long guestAddress) {
        return memory.getLong(inside(guestAddress, Long.BYTES));
    }

    public void writeLong(long guestAddress, long value) {
        memory.setLong(inside(guestAddress, Long.BYTES), value);
    }

    public double readDouble(long guestAddress) {
        return memory.getDouble(inside(guestAddress, Double.BYTES));
    }

    public void writeDouble(long guestAddress, double value) {
        memory.setDouble(inside(guestAddress, Double.BYTES), value);
    }

    /** The guest address, once checked to be inside the host mapping: the offset into it. */
    private static long inside(long guestAddress, int length) {
        if (guestAddress < 0 || guestAddress + length > SIZE) {
            throw new IllegalArgumentException("0x" + Long.toHexString(guestAddress) + " is outside the guest");
        }
        return guestAddress;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.unmap(host, SIZE);
        }
    }
}
