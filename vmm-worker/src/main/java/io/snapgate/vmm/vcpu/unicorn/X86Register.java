package io.snapgate.vmm.vcpu.unicorn;

/** The x86 registers this backend reads or writes, with their {@code UC_X86_REG_<name>} ids from x86.h. */
enum X86Register {
    RAX(35),
    RBX(37),
    RCX(38),
    RDX(40),
    RSI(43),
    RDI(39),
    RBP(36),
    RSP(44),
    R8(106),
    R9(107),
    R10(108),
    R11(109),
    R12(110),
    R13(111),
    R14(112),
    R15(113),
    RIP(41),
    RFLAGS(253),
    CR0(50),
    CR2(52),
    CR3(53),
    CR4(54),
    MXCSR(249),
    /** The x87 control word. */
    FPCW(246),
    /** Any model-specific register, through a {@code uc_x86_msr} {rid, value}. */
    MSR(248);

    /** Every general register but RSP and RDI, which the entry state sets; zero on entry. */
    static final X86Register[] ZEROED_ON_ENTRY = {RAX, RBX, RCX, RDX, RSI, RBP, R8, R9, R10, R11, R12, R13, R14,
        R15};

    final int id;

    X86Register(int id) {
        this.id = id;
    }
}
