package io.snapgate.vmm.memory;

import com.sun.jna.Memory;
import java.util.List;

/**
 * Finds the private copies by reading one pagemap entry per page of the writable regions' span and testing each:
 * the way on kernels without {@code PAGEMAP_SCAN} (before 6.7). One {@code pread} spans every writable region (a
 * few system calls fewer per restore than one per region).
 */
final class PagemapRead implements PrivatePages {
    private final long base;
    private final List<Region> writable;
    private final long first;
    private final int pages;
    /** The entries as the kernel writes them, and a Java copy: one bulk copy beats a native read per entry. */
    private final Memory buffer;
    private final long[] entries;

    PagemapRead(long base, List<Region> writable) {
        this.base = base;
        this.writable = writable;
        this.first = PrivatePages.spanStart(writable);
        this.pages = Math.toIntExact((PrivatePages.spanEnd(writable) - first) / MemoryLayout.PAGE_SIZE);
        this.buffer = new Memory(pages * 8L);
        this.entries = new long[pages];
    }

    @Override
    public void forEach(Run run) {
        Pagemap.read(base + first, pages, buffer);
        buffer.read(0, entries, 0, pages);
        for (Region r : writable) {
            int from = index(r.guestAddress());
            int to = index(r.end());
            for (int i = from; i < to; i++) {
                if (Pagemap.isPrivateCopy(entries[i])) {
                    int start = i;
                    while (i + 1 < to && Pagemap.isPrivateCopy(entries[i + 1])) {
                        i++;
                    }
                    run.accept(address(start), address(i + 1));
                }
            }
        }
    }

    private int index(long guestAddress) {
        return Math.toIntExact((guestAddress - first) / MemoryLayout.PAGE_SIZE);
    }

    private long address(int index) {
        return first + index * MemoryLayout.PAGE_SIZE;
    }
}
