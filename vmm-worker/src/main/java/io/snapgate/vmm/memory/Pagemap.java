package io.snapgate.vmm.memory;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.store.fs.Posix;
import java.nio.file.Path;

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
        static final int PAGEMAP = Posix.open(Path.of("/proc/self/pagemap"), Posix.O_RDONLY | Posix.O_CLOEXEC);
    }

    private Pagemap() {
    }

    /** The descriptor of this process's pagemap, opened on first use and kept (close-on-exec). */
    static int fd() {
        return Fd.PAGEMAP;
    }

    /** Reads the entries of {@code pages} pages from {@code address} into {@code entries}. */
    static void read(long address, long pages, Memory entries) {
        if (pages * 8 > entries.size()) {
            throw new IllegalArgumentException(pages + " pagemap entries do not fit a buffer of " + entries.size());
        }
        long buffer = Pointer.nativeValue(entries);
        long offset = (address / MemoryLayout.PAGE_SIZE) * 8;
        for (long done = 0; done < pages * 8; ) {
            long n = Posix.pread(fd(), buffer + done, pages * 8 - done, offset + done);
            if (n == 0) {
                throw new IllegalStateException("/proc/self/pagemap ended at " + (offset + done));
            }
            done += n;
        }
    }

    /** Whether an entry is a private copy (resident or swapped out): the guest wrote the page at some point. */
    static boolean isPrivateCopy(long entry) {
        return (entry & (PRESENT | SWAPPED)) != 0 && (entry & FILE_OR_SHARED) == 0;
    }
}
