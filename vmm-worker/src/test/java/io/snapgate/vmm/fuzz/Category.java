package io.snapgate.vmm.fuzz;

/** What an instruction the fuzzer emits is about: the classes a crash is reported by. */
enum Category {
    /** Register and memory set-up for the instruction that follows (mov reg, imm and the like). */
    SETUP,
    CONTROL_REGISTER,
    MSR,
    DESCRIPTOR_TABLE,
    SEGMENT,
    DEBUG_REGISTER,
    FAR_TRANSFER,
    MODE_SWITCH,
    SYSTEM,
    PORT_IO,
    FLAGS,
    STACK,
    CONTROL_FLOW,
    MEMORY_OPERAND,
    STRING_OP,
    FPU_SIMD,
    PREFIX_SOUP,
    RANDOM_BYTES
}
