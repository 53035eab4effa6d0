package io.snapgate.vmm.vcpu.unicorn;

/**
 * The Unicorn 2 values this backend passes or compares, spelled as in unicorn.h and x86.h so that
 * {@code UnicornConstantsTest} can check each against the headers with the C compiler. Register ids are in
 * {@link X86Register}.
 */
final class UnicornConstants {
    static final int UC_ARCH_X86 = 4;
    static final int UC_MODE_64 = 8;

    static final int UC_PROT_READ = 1;
    static final int UC_PROT_WRITE = 2;
    static final int UC_PROT_EXEC = 4;

    static final int UC_ERR_OK = 0;
    static final int UC_ERR_READ_UNMAPPED = 6;
    static final int UC_ERR_WRITE_UNMAPPED = 7;
    static final int UC_ERR_FETCH_UNMAPPED = 8;
    static final int UC_ERR_INSN_INVALID = 10;
    static final int UC_ERR_WRITE_PROT = 12;
    static final int UC_ERR_READ_PROT = 13;
    static final int UC_ERR_FETCH_PROT = 14;
    static final int UC_ERR_EXCEPTION = 21;

    static final int UC_HOOK_INTR = 1;
    /** UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT. */
    static final int UC_HOOK_MEM_INVALID = 1008;

    /** The access types an invalid-memory hook receives for reads and writes of unmapped memory. */
    static final int UC_MEM_READ_UNMAPPED = 19;
    static final int UC_MEM_WRITE_UNMAPPED = 20;

    /** {@code UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)}, arguments (uint64 begin, uint64 end). */
    static final int UC_CTL_TB_REMOVE_CACHE_WRITE = 1207959561;

    /** {@code sizeof(uc_x86_msr)}: {uint32 rid; uint64 value}, the value 8-aligned. */
    static final int UC_X86_MSR_SIZE = 16;
    static final int UC_X86_MSR_VALUE_OFFSET = 8;

    private UnicornConstants() {
    }
}
