package io.snapgate.vmm.memory;

import java.util.List;

/**
 * Finds the pages of a private mapping's writable regions that hold a private copy ({@link Pagemap#isPrivateCopy}:
 * present or swapped, not the file's page): the pages the guest wrote, which a copy-back reset restores. Missing
 * one would hand the next call a page the last one wrote, so every implementation reports exactly that set.
 * One instance per mapping, used by one thread at a time (it keeps its buffers).
 */
interface PrivatePages {

    /** Makes the finder for the mapping at {@code base}; {@link #of} in production, one path by name in tests. */
    @FunctionalInterface
    interface Factory {
        PrivatePages create(long base, List<Region> writable);
    }

    /** A run of private-copy pages: guest addresses {@code [from, to)}, inside one writable region. */
    @FunctionalInterface
    interface Run {
        void accept(long from, long to);
    }

    /** Passes every private-copy page of the writable regions to {@code run}, each once, in runs. */
    void forEach(Run run);

    /**
     * The kernel's {@code PAGEMAP_SCAN} ({@link PagemapScan}) where this kernel has it, else an entry per page read
     * from {@code /proc/self/pagemap} ({@link PagemapRead}).
     */
    static PrivatePages of(long base, List<Region> writable) {
        return PagemapScan.available() ? new PagemapScan(base, writable) : new PagemapRead(base, writable);
    }

    /** The lowest guest address of the writable regions: one look at the pagemap spans them all. */
    static long spanStart(List<Region> writable) {
        return writable.stream().mapToLong(Region::guestAddress).min().orElseThrow();
    }

    /** The end of the highest writable region. */
    static long spanEnd(List<Region> writable) {
        return writable.stream().mapToLong(Region::end).max().orElseThrow();
    }
}
