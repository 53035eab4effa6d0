package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.RAX;
import static io.snapgate.vmm.fuzz.Asm.RCX;
import static io.snapgate.vmm.fuzz.Asm.RDX;
import static io.snapgate.vmm.fuzz.Asm.op;
import static io.snapgate.vmm.fuzz.Category.FPU_SIMD;

import java.util.Arrays;

/**
 * x87, SSE, AVX and the state they save: transcendental x87 operations on garbage (NaNs, denormals, unnormals
 * loaded from memory), environment and state loads from garbage (fldenv, frstor, fxrstor, xrstor, ldmxcsr),
 * XCR0 and CR4.OSXSAVE turned on so AVX decodes, VEX instructions including gathers.
 */
final class FloatingPoint {
    /** Two-byte x87 register forms (D9 xx, DE xx, ...): transcendental, scaling, stack and control operations. */
    private static final int[][] X87 = {{0xD9, 0xE8}, {0xD9, 0xEE}, {0xD9, 0xEB}, {0xD8, 0xF1}, {0xD9, 0xFA},
        {0xD9, 0xFE}, {0xD9, 0xFF}, {0xD9, 0xF2}, {0xD9, 0xF3}, {0xD9, 0xF1}, {0xD9, 0xF9}, {0xD9, 0xF0},
        {0xD9, 0xFD}, {0xD9, 0xF8}, {0xD9, 0xF5}, {0xD9, 0xF4}, {0xD9, 0xFC}, {0xD9, 0xFB}, {0xD9, 0xE5},
        {0xDB, 0xF1}, {0xDF, 0xE9}, {0xD9, 0xC1}, {0xDD, 0xD9}, {0xD9, 0xF7}, {0xD9, 0xF6}, {0xDD, 0xC3},
        {0xDB, 0xE3}, {0xDB, 0xE2}, {0xDF, 0xE0}, {0xDE, 0xF9}, {0xDE, 0xC9}, {0xDA, 0xE9}};
    /** Memory forms: opcode, reg field, mnemonic. */
    private static final Object[][] STATE = {{op(0xD9), 4, "fldenv M"}, {op(0xD9), 6, "fnstenv M"},
        {op(0xD9), 5, "fldcw M"}, {op(0xDD), 4, "frstor M"}, {op(0xDD), 6, "fnsave M"}, {op(0xDB), 5, "fld tbyte M"},
        {op(0xDB), 7, "fstp tbyte M"}, {op(0xDF), 4, "fbld M"}, {op(0xDF), 6, "fbstp M"}, {op(0xDD), 0, "fld qword M"},
        {op(0x0F, 0xAE), 0, "fxsave M"}, {op(0x0F, 0xAE), 1, "fxrstor M"}, {op(0x0F, 0xAE), 2, "ldmxcsr M"},
        {op(0x0F, 0xAE), 3, "stmxcsr M"}, {op(0x0F, 0xAE), 4, "xsave M"}, {op(0x0F, 0xAE), 5, "xrstor M"},
        {op(0x0F, 0xAE), 6, "xsaveopt M"}, {op(0x0F, 0xC7), 4, "xsavec M"}, {op(0x0F, 0xC7), 5, "xsaves M"},
        {op(0x0F, 0xC7), 3, "xrstors M"}, {op(0x0F, 0x6F), 0, "movq mm0, M"}, {op(0x0F, 0x10), 0, "movups xmm0, M"},
        {op(0x0F, 0x29), 1, "movaps M, xmm1"}, {op(0x0F, 0x0F), 0, "3dnow mm0, M"}};
    /** SSE register forms with mandatory prefix and map: prefix (0 none), opcode bytes, immediate or -1. */
    private static final int[][] SSE = {{0x66, 0x0F, 0x3A, 0x0F, 3}, {0x66, 0x0F, 0x38, 0x00, -1},
        {0xF2, 0x0F, 0x51, -1}, {0x66, 0x0F, 0x3A, 0x44, 0x11}, {0x66, 0x0F, 0x38, 0xDC, -1},
        {0x66, 0x0F, 0x3A, 0x63, 0x0C}, {0x66, 0x0F, 0x3A, 0x61, 0x40}, {0x0F, 0x38, 0xC8, -1},
        {0x66, 0x0F, 0x3A, 0xDF, 1}, {0xF2, 0x0F, 0x2D, -1}, {0x66, 0x0F, 0x3A, 0x0B, 4},
        {0x66, 0x0F, 0x3A, 0x40, 0xFF}, {0x66, 0x0F, 0x3A, 0x42, 5}, {0x66, 0x0F, 0xF7, -1}, {0x0F, 0xF7, -1},
        {0x66, 0x0F, 0x38, 0x17, -1}, {0xF3, 0x0F, 0xE6, -1}, {0x0F, 0x77, -2}, {0x0F, 0x0E, -2}};
    /** VEX opcodes: map, opcode, whether a gather (VSIB: the index is a vector register). */
    private static final int[][] VEX = {{1, 0x10, 0}, {1, 0x11, 0}, {1, 0x28, 0}, {1, 0x58, 0}, {1, 0x5E, 0},
        {1, 0x6F, 0}, {1, 0x7F, 0}, {1, 0xC2, 0}, {1, 0xE7, 0}, {1, 0xF7, 0}, {1, 0xAE, 0}, {1, 0x77, 0},
        {2, 0x00, 0}, {2, 0x18, 0}, {2, 0x2C, 0}, {2, 0x2E, 0}, {2, 0x36, 0}, {2, 0x45, 0}, {2, 0x8C, 0},
        {2, 0x8E, 0}, {2, 0x90, 1}, {2, 0x91, 1}, {2, 0x92, 1}, {2, 0x93, 1}, {2, 0xF5, 0}, {2, 0xF6, 0},
        {2, 0xF7, 0}, {3, 0x06, 0}, {3, 0x18, 0}, {3, 0x19, 0}, {3, 0x46, 0}, {3, 0x4A, 0}, {3, 0x0F, 0}};

    private FloatingPoint() {
    }

    static void floatingPoint(Step s) {
        switch (s.random.nextInt(6)) {
            case 0 -> {
                // a garbage 80-bit value onto the x87 stack, then an operation on it
                s.add(Asm.mem(FPU_SIMD, "fld tbyte M", false, op(0xDB), 5, s.memory(s.chance(50) ? s.address()
                        : FuzzImage.RODATA + s.random.nextInt(0x800))));
                int[] x87 = s.pickAny(X87);
                s.add(Asm.raw(FPU_SIMD, String.format("x87 %02x %02x", x87[0], x87[1]), x87));
            }
            case 1 -> {
                Object[] form = s.pickAny(STATE);
                if (s.chance(30)) {
                    s.set(RAX, s.value()).set(RDX, s.value()); // the xsave component mask
                }
                s.add(Asm.mem(FPU_SIMD, (String) form[2], s.chance(30), (int[]) form[0], (Integer) form[1],
                        s.memory(s.chance(50) ? s.address() : s.scratch())));
            }
            case 2 -> enableAvx(s);
            case 3 -> {
                int[] sse = s.pickAny(SSE);
                int tail = sse[sse.length - 1];
                int[] opcode = Arrays.copyOf(sse, sse.length - 1);
                if (tail == -2) {
                    s.add(Asm.raw(FPU_SIMD, "mmx state", opcode));
                } else {
                    int reg = s.random.nextInt(16);
                    int rm = s.random.nextInt(16);
                    int[] prefix = opcode[0] == 0x0F ? op() : op(opcode[0]);
                    int[] rest = opcode[0] == 0x0F ? opcode : Arrays.copyOfRange(opcode, 1, opcode.length);
                    s.add(Asm.reg(FPU_SIMD, "sse " + Arrays.toString(opcode), prefix, false, rest, reg, rm,
                            tail < 0 ? op() : op(tail)));
                }
            }
            case 4 -> vex(s);
            default -> {
                int[] x87 = s.pickAny(X87);
                s.add(Asm.raw(FPU_SIMD, String.format("x87 %02x %02x", x87[0], x87[1]), x87));
            }
        }
    }

    /** CR4.OSXSAVE on, then XCR0 with x87, SSE and (usually) AVX state: AVX instructions decode from here. */
    static void enableAvx(Step s) {
        s.add(Asm.reg(FPU_SIMD, "mov rax, cr4", op(0x0F, 0x20), 4, RAX));
        s.add(Asm.reg(FPU_SIMD, "bts rax, 18", op(), true, op(0x0F, 0xBA), 5, RAX, 18));
        s.add(Asm.reg(FPU_SIMD, "mov cr4, rax", op(0x0F, 0x22), 4, RAX));
        s.set(RCX, 0).set(RAX, s.chance(80) ? 7 : s.pick(1, 3, 5, 0xE7, 0x207)).set(RDX, 0);
        s.add(Asm.raw(FPU_SIMD, "xsetbv", 0x0F, 0x01, 0xD1));
    }

    private static void vex(Step s) {
        int[] vex = s.pickAny(VEX);
        int reg = s.random.nextInt(16);
        int vvvv = s.random.nextInt(16);
        boolean wide = s.chance(50);
        int l = s.random.nextInt(2);
        int pp = s.random.nextInt(4);
        String name = String.format("vex.%s.%d.%d map%d %02x M", wide ? "w1" : "w0", l, pp, vex[0], vex[1]);
        if (vex[2] == 1) {
            // a gather: base R11, index a vector register; the mask in vvvv must differ from both
            s.set(Asm.R11, s.address());
            s.add(Asm.vex(name, vex[0], wide, vvvv, l, 1, vex[1], reg, Mem.indexed(Asm.R11, s.pick(1, 2, 9, 13),
                    s.random.nextInt(4), 0), 0));
        } else if (s.chance(50)) {
            s.add(Asm.vex(name, vex[0], wide, vvvv, l, pp, vex[1], reg, s.memory(), 0));
        } else {
            s.add(Asm.vex(name, vex[0], wide, vvvv, l, pp, vex[1], reg, null, s.random.nextInt(16)));
        }
        if (vex[0] == 3) {
            s.add(Asm.raw(FPU_SIMD, "(its imm8)", s.random.nextInt(256)));
        }
    }
}
