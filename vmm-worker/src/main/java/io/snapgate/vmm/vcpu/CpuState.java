package io.snapgate.vmm.vcpu;

/**
 * The registers a guest is entered with, in 64-bit long mode with paging on. Every general
 * register not named here is zero on entry; segments are flat 64-bit code and data.
 */
public record CpuState(long rsp, long rdi, long rflags, long cr0, long cr3, long cr4, long efer) {
    /** PE | MP | ET | NE | WP | PG. */
    public static final long CR0 = 0x8001_0033L;
    /** PAE | OSFXSR | OSXMMEXCPT. */
    public static final long CR4 = 0x620L;
    /** LME | LMA. */
    public static final long EFER = 0x500L;
    public static final long RFLAGS = 0x2L;

    /**
     * The entry state every snapgate guest gets: its stack top, the control page in RDI, page tables at {@code cr3}.
     */
    public static CpuState longMode(long stackTop, long controlPage, long cr3) {
        return new CpuState(stackTop, controlPage, RFLAGS, CR0, cr3, CR4, EFER);
    }
}
