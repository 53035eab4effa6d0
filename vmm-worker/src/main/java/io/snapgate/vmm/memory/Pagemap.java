package io.snapgate.vmm.memory;

import com.sun.jna.Memory;
import io.snapgate.vmm.sys.Libc;

/**
 * Reads this process's page table entries from {@code /proc/self/pagemap} (one u64 per 4 KiB page) to tell
 * which pages of a private file mapping the guest has written: those are present or swapped and no longer
 * backed by the file (bit 61 clear). Needs no privilege: only the flag bits are used, never the frame numbers.
 */
final class Pagemap {
    private static final long PRESENT = 1L << 63;
    private static final long SWAPPED = 1L << 62;
    private static final long FILE_OR_SHARED = 1L << 61;

    private static final class Fd {
        static final int PAGEMAP = Libc.openFile("/proc/self/pagemap", Libc.O_RDONLY);
    }

    private Pagemap() {
    }

    /** Reads the entries of {@code pages} pages from {@code address} into {@code entries}. */
    static void read(long address, long pages, Memory entries) {
        if (pages * 8 > entries.size()) {
            throw new IllegalArgumentException(pages + " pagemap entries do not fit a buffer of " + entries.size());
        }
        Libc.readFully(Fd.PAGEMAP, com.sun.jna.Pointer.nativeValue(entries), pages * 8,
                (address / MemoryLayout.PAGE_SIZE) * 8);
    }

    /** Whether an entry is a private copy (resident or swapped out): the guest wrote the page at some point. */
    static boolean isPrivateCopy(long entry) {
        return (entry & (PRESENT | SWAPPED)) != 0 && (entry & FILE_OR_SHARED) == 0;
    }
}
