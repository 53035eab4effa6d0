package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.memory.PageTables.HUGE;
import static io.snapgate.vmm.memory.PageTables.PRESENT;

import com.sun.jna.Pointer;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.MemorySlot;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the KVM backend's copy of an image's page tables (why a copy: {@link HostPages}): the image's tables
 * moved to where the copy lives, each table once, and no-execute on every page that holds no code, so data is
 * not executable on KVM either (W^X, as the emulated backend enforces with its region permissions). The image
 * maps memory with 2 MiB pages and its first one holds the control page, the tables, code and data together:
 * a 2 MiB page with both code and other memory is split into 512 pages of 4 KiB in a table of the copy's own.
 * A 1 GiB page that holds code stays executable whole (images have none). Tables outside the image's tables
 * are walked as they are.
 */
final class GuestTables {
    static final long NO_EXECUTE = 1L << 63;
    private static final long PAGE = MemoryLayout.PAGE_SIZE;
    private static final long ADDRESS = 0x000F_FFFF_FFFF_F000L;
    /** What a table-to-table entry keeps of a split 2 MiB entry: present, writable, user, accessed. */
    private static final long TABLE_FLAGS = 0x27;
    /** What a 4 KiB page keeps of its 2 MiB entry: present .. dirty (bit 7 is PAT in a 4 KiB entry, not size). */
    private static final long SMALL_PAGE_FLAGS = 0x7F;

    /** The copy: its PML4 at offset {@code root} of the target, {@code pages} pages written from offset 0. */
    record Copy(long root, int pages) {
    }

    private final Pointer target;
    private final long physical;
    private final int maxPages;
    private final MemorySlot tables;
    private final List<MemorySlot> code;
    private int pages;

    private GuestTables(Pointer target, long physical, int maxPages, MemorySlot tables, List<MemorySlot> code) {
        this.target = target;
        this.physical = physical;
        this.maxPages = maxPages;
        this.tables = tables;
        this.code = code;
    }

    /**
     * Copies the tables of slot {@code tables} (PML4 at guest {@code cr3}) to {@code target}, which the guest sees
     * at guest physical {@code physical}, in at most {@code maxPages} pages; {@code code} are the slots that may
     * execute.
     */
    static Copy copy(Pointer target, long physical, int maxPages, MemorySlot tables, long cr3, List<MemorySlot> code) {
        if (tables.size() > maxPages * PAGE) {
            throw new IllegalArgumentException("the page tables take " + tables.size() + " bytes; the KVM backend"
                    + " copies at most " + maxPages * PAGE);
        }
        GuestTables copy = new GuestTables(target, physical, maxPages, tables, code);
        return copy.write(cr3);
    }

    private Copy write(long cr3) {
        Libc.copy(Pointer.nativeValue(target), tables.hostAddress(), tables.size());
        pages = (int) (tables.size() / PAGE);
        long root = cr3 - tables.guestAddress();
        walk(root, 4, new HashSet<>());
        return new Copy(root, pages);
    }

    private void walk(long table, int level, Set<Long> done) {
        if (!done.add(table)) {
            return;
        }
        for (int i = 0; i < 512; i++) {
            long at = table + i * 8L;
            long entry = target.getLong(at);
            if ((entry & PRESENT) == 0) {
                continue;
            }
            long next = entry & ADDRESS;
            if (level == 1 || (level < 4 && (entry & HUGE) != 0)) {
                protect(at, entry, level);
            } else if (next >= tables.guestAddress() && next < tables.guestEnd()) {
                target.setLong(at, entry - tables.guestAddress() + physical);
                walk(next - tables.guestAddress(), level - 1, done);
            }
        }
    }

    /** No-execute on a leaf without code; a 2 MiB leaf with code and more is split. */
    private void protect(long at, long entry, int level) {
        long size = PAGE << (9 * (level - 1));
        long base = entry & ADDRESS & -size;
        long codePages = codeBytes(base, size) / PAGE;
        if (codePages == 0) {
            target.setLong(at, entry | NO_EXECUTE);
        } else if (level == 2 && codePages < size / PAGE) {
            target.setLong(at, split(base, entry) | (entry & TABLE_FLAGS));
        }
    }

    /** A table of 512 pages of 4 KiB for the 2 MiB page at {@code base}; returns its guest physical address. */
    private long split(long base, long entry) {
        if (pages >= maxPages) {
            throw new IllegalArgumentException("the image mixes code and data in more 2 MiB pages than the KVM"
                    + " backend has room to split (" + maxPages * PAGE + " bytes of tables)");
        }
        long table = pages++ * PAGE;
        for (int i = 0; i < 512; i++) {
            long page = base + i * PAGE;
            target.setLong(table + i * 8L, page | (entry & SMALL_PAGE_FLAGS)
                    | (codeBytes(page, PAGE) == 0 ? NO_EXECUTE : 0));
        }
        return physical + table;
    }

    /** Bytes of [base, base + size) inside code slots. */
    private long codeBytes(long base, long size) {
        long bytes = 0;
        for (MemorySlot slot : code) {
            long from = Math.max(base, slot.guestAddress());
            long to = Math.min(base + size, slot.guestEnd());
            bytes += Math.max(0, to - from);
        }
        return bytes;
    }
}
