package io.snapgate.vmm.memory;

import com.sun.jna.Pointer;

/**
 * Identity-mapped x86-64 page tables with 2 MiB pages: a PML4, a PDPT, and one page directory per GiB.
 * The accessed and dirty bits are preset so the CPU never writes the tables (they can stay read-only).
 */
public final class PageTables {
    /** Page table entry bits, shared with the KVM backend's own tables. */
    public static final long PRESENT = 1;
    public static final long WRITABLE = 2;
    public static final long ACCESSED = 0x20;
    public static final long DIRTY = 0x40;
    /** A 2 MiB (or 1 GiB) page rather than a pointer to the next table. */
    public static final long HUGE = 0x80;
    private static final long TWO_MIB = 2L << 20;
    private static final long ONE_GIB = 1L << 30;

    private PageTables() {
    }

    /** Bytes of page tables needed to map {@code memorySize} bytes. */
    public static long size(long memorySize) {
        return (2 + directories(memorySize)) * MemoryLayout.PAGE_SIZE;
    }

    private static long directories(long memorySize) {
        return (memorySize + ONE_GIB - 1) / ONE_GIB;
    }

    /**
     * Writes the tables for {@code memorySize} bytes at guest address {@link MemoryLayout#PAGE_TABLES}, given the host
     * base.
     */
    public static void write(Pointer memory, long memorySize) {
        long pml4 = MemoryLayout.PAGE_TABLES;
        long pdpt = pml4 + MemoryLayout.PAGE_SIZE;
        long firstPd = pdpt + MemoryLayout.PAGE_SIZE;
        memory.setLong(pml4, pdpt | PRESENT | WRITABLE | ACCESSED);
        long pages = (memorySize + TWO_MIB - 1) / TWO_MIB;
        for (long d = 0; d < directories(memorySize); d++) {
            long pd = firstPd + d * MemoryLayout.PAGE_SIZE;
            memory.setLong(pdpt + d * 8, pd | PRESENT | WRITABLE | ACCESSED);
            for (long e = 0; e < 512 && d * 512 + e < pages; e++) {
                long physical = (d * 512 + e) * TWO_MIB;
                memory.setLong(pd + e * 8, physical | PRESENT | WRITABLE | ACCESSED | DIRTY | HUGE);
            }
        }
    }
}
