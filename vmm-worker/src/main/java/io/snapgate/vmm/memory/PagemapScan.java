package io.snapgate.vmm.memory;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.sys.SystemCallException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the private copies with the {@code PAGEMAP_SCAN} ioctl on {@code /proc/self/pagemap} (Linux 6.7+, the
 * kernel's Documentation/admin-guide/mm/pagemap.rst): the kernel walks the page tables and writes only the runs of
 * matching pages, where a read writes an entry per page for us to test. It matches the pages
 * {@link Pagemap#isPrivateCopy} picks, by the same page table bits: present or swapped (any of), and not a file
 * page (inverted). One ioctl spans every writable region; the runs it reports are cut to the regions.
 */
final class PagemapScan implements PrivatePages {
    private static final Logger LOG = LoggerFactory.getLogger(PagemapScan.class);

    /** {@code _IOWR('f', 16, struct pm_scan_arg)}, the struct being twelve u64s. */
    private static final long PAGEMAP_SCAN = 0xC0606610L;
    /** {@code struct pm_scan_arg}: its size, then the offsets of the fields this sets or reads. */
    private static final int ARG_BYTES = 96;
    private static final int START = 16;
    private static final int END = 24;
    private static final int WALK_END = 32;
    private static final int VEC = 40;
    private static final int VEC_LEN = 48;
    private static final int CATEGORY_INVERTED = 64;
    private static final int CATEGORY_MASK = 72;
    private static final int CATEGORY_ANYOF_MASK = 80;
    private static final long PAGE_IS_FILE = 1 << 2;
    private static final long PAGE_IS_PRESENT = 1 << 3;
    private static final long PAGE_IS_SWAPPED = 1 << 4;
    /** {@code struct page_region}: start, end, categories. */
    private static final int REGION_LONGS = 3;
    /** Runs one ioctl reports; when they do not suffice it stops, and the next goes on from where it stopped. */
    static final int RUNS = 64;

    /** Whether this kernel has the ioctl: asked once per process, with a scan of nothing. */
    private static final class Support {
        static final boolean AVAILABLE = probe();
    }

    private final long base;
    private final List<Region> writable;
    private final long start;
    private final long end;
    /** The ioctl's argument, its output vector right behind it. */
    private final Memory arg;
    private final long[] runs = new long[RUNS * REGION_LONGS];

    PagemapScan(long base, List<Region> writable) {
        this.base = base;
        this.writable = writable;
        this.start = PrivatePages.spanStart(writable);
        this.end = PrivatePages.spanEnd(writable);
        this.arg = argument(RUNS);
        arg.setLong(END, base + end);
        arg.setLong(VEC, Pointer.nativeValue(arg) + ARG_BYTES);
        arg.setLong(VEC_LEN, RUNS);
        arg.setLong(CATEGORY_INVERTED, PAGE_IS_FILE);
        arg.setLong(CATEGORY_MASK, PAGE_IS_FILE);
        arg.setLong(CATEGORY_ANYOF_MASK, PAGE_IS_PRESENT | PAGE_IS_SWAPPED);
        // flags (no write protection), max_pages (0: no limit) and return_mask (0: every run the same, so
        // adjacent pages merge) stay 0
    }

    static boolean available() {
        return Support.AVAILABLE;
    }

    @Override
    public void forEach(Run run) {
        long address = Pointer.nativeValue(arg);
        for (long from = base + start; from < base + end; ) {
            arg.setLong(START, from);
            int n = Libc.ioctl(Pagemap.fd(), PAGEMAP_SCAN, address, "ioctl(PAGEMAP_SCAN)");
            arg.read(ARG_BYTES, runs, 0, n * REGION_LONGS);
            for (int i = 0; i < n; i++) {
                cut(runs[i * REGION_LONGS] - base, runs[i * REGION_LONGS + 1] - base, run);
            }
            long walkEnd = arg.getLong(WALK_END);
            if (walkEnd <= from) { // the kernel always gets past a full vector; never loop on one that did not
                throw new IllegalStateException(String.format("PAGEMAP_SCAN stopped at 0x%x, where it began",
                        walkEnd));
            }
            from = walkEnd;
        }
    }

    /** Passes the parts of {@code [from, to)} that lie in writable regions. */
    private void cut(long from, long to, Run run) {
        for (Region r : writable) {
            long a = Math.max(from, r.guestAddress());
            long b = Math.min(to, r.end());
            if (a < b) {
                run.accept(a, b);
            }
        }
    }

    private static Memory argument(int runs) {
        Memory arg = new Memory(ARG_BYTES + (long) runs * REGION_LONGS * 8);
        arg.clear();
        arg.setLong(0, ARG_BYTES); // size: the kernel refuses any other
        return arg;
    }

    private static boolean probe() {
        Memory arg = argument(0); // start = end = 0: nothing to walk, nothing written but walk_end
        try {
            Libc.ioctl(Pagemap.fd(), PAGEMAP_SCAN, Pointer.nativeValue(arg), "ioctl(PAGEMAP_SCAN)");
            LOG.debug("restores find the pages written with the kernel's PAGEMAP_SCAN");
            return true;
        } catch (SystemCallException e) {
            LOG.info("restores read a pagemap entry per page: this kernel has no PAGEMAP_SCAN ({})", e.getMessage());
            return false;
        }
    }
}
