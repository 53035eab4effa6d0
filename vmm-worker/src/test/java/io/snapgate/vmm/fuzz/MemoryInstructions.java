package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.RAX;
import static io.snapgate.vmm.fuzz.Asm.RCX;
import static io.snapgate.vmm.fuzz.Asm.RDI;
import static io.snapgate.vmm.fuzz.Asm.RSI;
import static io.snapgate.vmm.fuzz.Asm.op;
import static io.snapgate.vmm.fuzz.Category.MEMORY_OPERAND;
import static io.snapgate.vmm.fuzz.Category.STRING_OP;

import java.util.Arrays;

/**
 * Memory accesses where they hurt: across page and region edges, into the page tables, the code and the guard
 * page, off the end of memory, at non-canonical addresses, at the program's own bytes; with segment overrides,
 * 32-bit addressing, locks (split locks across pages), bit strings that reach far from their base, and rep
 * string operations of any count in either direction.
 */
final class MemoryInstructions {
    /** One memory form: mnemonic (M is the operand), REX.W, opcode bytes, ModRM reg field, immediate size. */
    private record Form(String mnemonic, boolean wide, int[] opcode, int reg, int immediate) {
    }

    private static final Form[] FORMS = {
        new Form("mov rax, M", true, op(0x8B), RAX, 0),
        new Form("mov M, rax", true, op(0x89), RAX, 0),
        new Form("mov byte M, imm8", false, op(0xC6), 0, 1),
        new Form("add qword M, imm8", true, op(0x83), 0, 1),
        new Form("inc qword M", true, op(0xFF), 0, 0),
        new Form("not dword M", false, op(0xF7), 2, 0),
        new Form("xchg M, rax", true, op(0x87), RAX, 0),
        new Form("cmpxchg M, rcx", true, op(0x0F, 0xB1), RCX, 0),
        new Form("cmpxchg8b M", false, op(0x0F, 0xC7), 1, 0),
        new Form("cmpxchg16b M", true, op(0x0F, 0xC7), 1, 0),
        new Form("xadd M, rax", true, op(0x0F, 0xC1), RAX, 0),
        new Form("bts M, rax", true, op(0x0F, 0xAB), RAX, 0),
        new Form("btc M, rax", true, op(0x0F, 0xBB), RAX, 0),
        new Form("bt M, imm8", true, op(0x0F, 0xBA), 4, 1),
        new Form("movbe rax, M", true, op(0x0F, 0x38, 0xF0), RAX, 0),
        new Form("crc32 eax, qword M", true, op(0xF2, 0x0F, 0x38, 0xF1), RAX, 0),
        new Form("movsx rax, word M", true, op(0x0F, 0xBF), RAX, 0),
        new Form("imul rax, M, imm32", true, op(0x69), RAX, 4),
        new Form("div qword M", true, op(0xF7), 6, 0),
        new Form("shl qword M, cl", true, op(0xD3), 4, 0),
        new Form("shld M, rax, cl", true, op(0x0F, 0xA5), RAX, 0),
        new Form("sete byte M", false, op(0x0F, 0x94), 0, 0),
        new Form("lea rax, M", true, op(0x8D), RAX, 0),
        new Form("prefetcht0 M", false, op(0x0F, 0x18), 1, 0),
        new Form("clflush M", false, op(0x0F, 0xAE), 7, 0),
        new Form("popcnt rax, M", true, op(0xF3, 0x0F, 0xB8), RAX, 0),
        new Form("bound eax, M", false, op(0x62), RAX, 0),
        new Form("arpl M, ax", false, op(0x63), RAX, 0),
    };

    private MemoryInstructions() {
    }

    static void memoryOperand(Step s) {
        Form form = s.pickAny(FORMS);
        if (form.reg() == RAX && s.chance(50)) {
            s.set(RAX, s.value()); // a bit offset, an exchange value
        }
        if (s.chance(30)) {
            s.set(RCX, s.value());
        }
        long address = s.chance(15) ? FuzzImage.CODE + s.random.nextInt(64) : s.address();
        int[] prefixes = prefixes(s);
        // a legacy prefix must come before REX and the opcode; F2/F3 in an opcode are mandatory prefixes, so they
        // go first too
        int[] opcode = form.opcode();
        if (opcode[0] == 0xF2 || opcode[0] == 0xF3) {
            prefixes = concat(prefixes, op(opcode[0]));
            opcode = Arrays.copyOfRange(opcode, 1, opcode.length);
        }
        s.add(Asm.mem(MEMORY_OPERAND, prefixText(prefixes) + form.mnemonic().replace("imm8", "0x7f")
                .replace("imm32", "0x12345678"), prefixes, form.wide(), opcode, form.reg(), s.memory(address),
                0x1234_567F, form.immediate()));
    }

    /** Sometimes a lock, a segment override, 32-bit addressing. */
    private static int[] prefixes(Step s) {
        int[] prefixes = op();
        if (s.chance(15)) {
            prefixes = concat(prefixes, op(0xF0));
        }
        if (s.chance(20)) {
            prefixes = concat(prefixes, op(s.pick(0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65)));
        }
        if (s.chance(15)) {
            prefixes = concat(prefixes, op(0x67));
        }
        return prefixes;
    }

    private static String prefixText(int[] prefixes) {
        StringBuilder text = new StringBuilder();
        for (int prefix : prefixes) {
            text.append(switch (prefix) {
                case 0xF0 -> "lock ";
                case 0x67 -> "addr32 ";
                case 0xF2, 0xF3 -> "";
                default -> String.format("[%02x] ", prefix);
            });
        }
        return text.toString();
    }

    static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static void stringOp(Step s) {
        s.set(RSI, s.address()).set(RDI, s.chance(50) ? s.address() : s.scratch());
        s.set(RCX, s.chance(80) ? s.pickLong(0, 1, 2, 3, 7, 8, 16, 0x1000, 0x10000, 0xFFFF_FFFFL, 1L << 32, -1)
                : s.value());
        if (s.chance(25)) {
            s.add(Asm.raw(STRING_OP, "std", 0xFD));
        }
        int opcode = s.pick(0xA4, 0xA5, 0xA6, 0xA7, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF);
        String[] names = {"movs", "cmps", "test", "stos", "lods", "scas"};
        String size = opcode % 2 == 0 ? "b" : "";
        int[] prefixes = op(s.pick(0xF3, 0xF3, 0xF2, 0x90));
        String text = prefixes[0] == 0xF3 ? "rep " : prefixes[0] == 0xF2 ? "repne " : "";
        if (prefixes[0] == 0x90) {
            prefixes = op();
        }
        if (opcode % 2 == 1 && s.chance(50)) {
            boolean wide = s.chance(50);
            prefixes = concat(prefixes, op(wide ? 0x48 : 0x66));
            size = wide ? "q" : "w";
        } else if (opcode % 2 == 1) {
            size = "d";
        }
        if (s.chance(20)) {
            prefixes = concat(op(s.pick(0x64, 0x65, 0x2E)), prefixes);
            text = "[seg] " + text;
        }
        if (s.chance(15)) {
            prefixes = concat(op(0x67), prefixes);
            text = "addr32 " + text;
        }
        s.add(Asm.raw(STRING_OP, text + names[(opcode - 0xA4) / 2] + size, concat(prefixes, op(opcode))));
    }
}
