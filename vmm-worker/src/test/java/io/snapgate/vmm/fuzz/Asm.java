package io.snapgate.vmm.fuzz;

import java.io.ByteArrayOutputStream;

/**
 * Encodes the x86-64 instruction forms the generator needs: an opcode with a ModRM operand (a register or a
 * {@link Mem}), legacy prefixes and REX worked out from the operands, and VEX.
 */
final class Asm {
    static final int RAX = 0;
    static final int RCX = 1;
    static final int RDX = 2;
    static final int RBX = 3;
    static final int RSP = 4;
    static final int RBP = 5;
    static final int RSI = 6;
    static final int RDI = 7;
    static final int R11 = 11;
    static final int R12 = 12;
    private static final String[] NAMES = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15"};
    private static final String[] NAMES32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};

    private Asm() {
    }

    static String name(int register) {
        return NAMES[register];
    }

    static int[] op(int... bytes) {
        return bytes;
    }

    /** Fixed bytes. */
    static Insn raw(Category category, String text, int... bytes) {
        return new Code().emit(bytes).insn(category, text);
    }

    /** {@code mov reg, imm64} (the short {@code mov r32, imm32} when the value fits it: zero-extended). */
    static Insn mov(int register, long value) {
        Code c = new Code();
        if (value >>> 32 == 0) {
            c.rex(false, 0, 0, register).emit(0xB8 + (register & 7)).imm(value, 4);
            return c.insn(Category.SETUP, String.format("mov %s, 0x%x", register < 8 ? NAMES32[register]
                    : NAMES[register] + "d", value));
        }
        c.rex(true, 0, 0, register).emit(0xB8 + (register & 7)).imm(value, 8);
        return c.insn(Category.SETUP, String.format("mov %s, 0x%x", NAMES[register], value));
    }

    /**
     * {@code opcode} with a register-direct ModRM ({@code reg} in the reg field, {@code rm} as the operand), then
     * the {@code tail} bytes (an immediate).
     */
    static Insn reg(Category category, String text, int[] prefixes, boolean wide, int[] opcode, int reg, int rm,
            int... tail) {
        return new Code().emit(prefixes).rex(wide, reg, 0, rm).emit(opcode).emit(0xC0 | (reg & 7) << 3 | (rm & 7))
                .emit(tail).insn(category, text);
    }

    /** {@code reg} with no prefixes, not wide, no immediate. */
    static Insn reg(Category category, String text, int[] opcode, int reg, int rm) {
        return reg(category, text, op(), false, opcode, reg, rm);
    }

    /**
     * {@code opcode} with a memory ModRM operand, then {@code immediate} ({@code immediateBytes} long); an M in
     * {@code mnemonic} becomes the operand.
     */
    static Insn mem(Category category, String mnemonic, int[] prefixes, boolean wide, int[] opcode, int reg, Mem m,
            long immediate, int immediateBytes) {
        return new Code().emit(prefixes).rex(wide, reg, Math.max(m.index(), 0), Math.max(m.base(), 0)).emit(opcode)
                .operand(reg, m).imm(immediate, immediateBytes).insn(category, mnemonic.replace("M", m.toString()));
    }

    /** {@code mem} with no prefixes and no immediate. */
    static Insn mem(Category category, String mnemonic, boolean wide, int[] opcode, int reg, Mem m) {
        return mem(category, mnemonic, op(), wide, opcode, reg, m, 0, 0);
    }

    /**
     * A VEX-encoded instruction (three-byte form): {@code opcode} in map {@code map} (1 = 0F, 2 = 0F38, 3 = 0F3A)
     * with implied prefix {@code pp} (0 none, 1 66, 2 F3, 3 F2), vector length {@code l}, source register
     * {@code vvvv}, and memory operand {@code m}, or register {@code rm} when {@code m} is null.
     */
    static Insn vex(String mnemonic, int map, boolean wide, int vvvv, int l, int pp, int opcode, int reg, Mem m,
            int rm) {
        int base = m == null ? rm : Math.max(m.base(), 0);
        int index = m == null ? 0 : Math.max(m.index(), 0);
        Code c = new Code().emit(0xC4, (~reg >> 3 & 1) << 7 | (~index >> 3 & 1) << 6 | (~base >> 3 & 1) << 5 | map,
                (wide ? 0x80 : 0) | (~vvvv & 15) << 3 | (l & 1) << 2 | (pp & 3), opcode);
        if (m == null) {
            c.emit(0xC0 | (reg & 7) << 3 | (rm & 7));
        } else {
            c.operand(reg, m);
        }
        return c.insn(Category.FPU_SIMD, mnemonic.replace("M", m == null ? "reg" : m.toString()));
    }

    /** An instruction's bytes as they are put together. */
    private static final class Code {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Code emit(int... values) {
            for (int value : values) {
                bytes.write(value);
            }
            return this;
        }

        /** REX when any of its bits is needed. */
        Code rex(boolean wide, int reg, int index, int base) {
            int rex = 0x40 | (wide ? 8 : 0) | (reg >> 3 & 1) << 2 | (index >> 3 & 1) << 1 | (base >> 3 & 1);
            return rex == 0x40 ? this : emit(rex);
        }

        /** ModRM, SIB and displacement for {@code reg} and memory operand {@code m}. */
        Code operand(int reg, Mem m) {
            int r = (reg & 7) << 3;
            if (m.base() == Mem.RIP) {
                return emit(0x05 | r).imm(m.disp(), 4);
            }
            int index = m.index() == Mem.NONE ? 4 : m.index() & 7;
            if (m.base() == Mem.NONE) {
                return emit(0x04 | r, m.scale() << 6 | index << 3 | 5).imm(m.disp(), 4);
            }
            int base = m.base() & 7;
            boolean sib = m.index() != Mem.NONE || base == RSP;
            int mod = m.disp() == 0 && base != RBP ? 0 : m.disp() == (byte) m.disp() ? 1 : 2;
            emit(mod << 6 | r | (sib ? 4 : base));
            if (sib) {
                emit(m.scale() << 6 | index << 3 | base);
            }
            return imm(m.disp(), mod == 0 ? 0 : mod == 1 ? 1 : 4);
        }

        Code imm(long value, int length) {
            for (int i = 0; i < length; i++) {
                bytes.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Insn insn(Category category, String text) {
            return new Insn(category, text, bytes.toByteArray());
        }
    }
}
