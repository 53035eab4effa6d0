package io.snapgate.vmm.memory;

/**
 * How {@link GuestMemory#reset} brings the writable pages back to the file's content. BENCHMARKS.md measures
 * both on this machine.
 */
public enum ResetStrategy {
    /**
     * {@code madvise(MADV_DONTNEED)} over the writable regions: drops the private pages; the guest's next write
     * to each takes a copy-on-write fault again.
     */
    DROP,
    /**
     * Finds the private pages through {@code /proc/self/pagemap} (the {@code PAGEMAP_SCAN} ioctl where the kernel
     * has it, Linux 6.7+; else an entry read per page) and copies the file's content back into them: they stay
     * resident and writable, so the next call takes no fault (Wasmtime's keep-resident idea). Costs a page table
     * walk of the writable regions plus a 4 KiB copy per page the guest ever wrote.
     */
    COPY_BACK
}
