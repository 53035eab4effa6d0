package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.RAX;
import static io.snapgate.vmm.fuzz.Asm.RBP;
import static io.snapgate.vmm.fuzz.Asm.RCX;
import static io.snapgate.vmm.fuzz.Asm.RSP;
import static io.snapgate.vmm.fuzz.Asm.op;
import static io.snapgate.vmm.fuzz.Category.CONTROL_FLOW;
import static io.snapgate.vmm.fuzz.Category.FAR_TRANSFER;
import static io.snapgate.vmm.fuzz.Category.FLAGS;
import static io.snapgate.vmm.fuzz.Category.MODE_SWITCH;
import static io.snapgate.vmm.fuzz.Category.STACK;

/**
 * Instructions that move RIP, RSP, RFLAGS or the CPU mode: far jumps, calls and returns with garbage frames,
 * leaving long mode the architectural way (through a GDT the image provides), flags, stack pivots, jumps anywhere.
 */
final class ControlTransfers {
    /** RFLAGS bits a guest may try: TF, IF, DF, OF, IOPL, NT, RF, VM, AC, VIF, VIP, ID. */
    private static final long[] FLAG_BITS = {0x100, 0x200, 0x400, 0x800, 0x3000, 0x4000, 0x10000, 0x20000, 0x40000,
        0x80000, 0x100000, 0x200000};

    private ControlTransfers() {
    }

    static void farTransfer(Step s) {
        switch (s.random.nextInt(4)) {
            case 0 -> {
                // an iretq frame (SS, RSP, RFLAGS, CS, RIP); RIP often the next instruction, to run on in the new mode
                push(s, s.pick(SystemInstructions.SELECTORS));
                push(s, s.chance(50) ? s.scratch() + 256 : s.address());
                push(s, flagsValue(s));
                push(s, s.pick(SystemInstructions.SELECTORS));
                returnTo(s, s.pickAny(Asm.raw(FAR_TRANSFER, "iretq", 0x48, 0xCF), Asm.raw(FAR_TRANSFER, "iretd", 0xCF),
                        Asm.raw(FAR_TRANSFER, "iretw", 0x66, 0xCF)));
            }
            case 1 -> {
                push(s, s.pick(SystemInstructions.SELECTORS));
                returnTo(s, s.pickAny(Asm.raw(FAR_TRANSFER, "retfq", 0x48, 0xCB), Asm.raw(FAR_TRANSFER, "retf", 0xCB),
                        Asm.raw(FAR_TRANSFER, "retf 8", 0xCA, 8, 0)));
            }
            case 2 -> {
                long at = s.scratch();
                s.store(at, s.chance(50) ? FuzzImage.CODE : s.address()).store(at + 8, s.pick(
                        SystemInstructions.SELECTORS));
                boolean call = s.chance(50);
                boolean wide = s.chance(60);
                s.add(Asm.mem(FAR_TRANSFER, (call ? "call far " : "jmp far ") + (wide ? "m16:64 " : "m16:32 ") + "M",
                        wide, op(0xFF), call ? 3 : 5, Mem.at(Asm.R11, -8)));
            }
            default -> s.add(s.pickAny(Asm.raw(FAR_TRANSFER, "jmp far 0x10:0x100000", 0xEA, 0, 0, 0x10, 0, 0x10, 0),
                    Asm.raw(FAR_TRANSFER, "call far 0x8:0x100000", 0x9A, 0, 0, 0x10, 0, 0x08, 0)));
        }
    }

    /** {@code lea rax, [next]; push rax; ret}: a return (near or far) to the instruction after it. */
    private static void returnTo(Step s, Insn ret) {
        if (s.chance(70)) {
            s.add(Asm.mem(Category.SETUP, "lea rax, M", true, op(0x8D), RAX, Mem.ripRelative(1 + ret.length())));
            s.add(Asm.raw(Category.SETUP, "push rax", 0x50));
        } else {
            push(s, s.address());
        }
        s.add(ret);
    }

    private static void push(Step s, long value) {
        s.set(RAX, value).add(Asm.raw(Category.SETUP, "push rax", 0x50));
    }

    /**
     * Through the image's GDT into compatibility mode (32- or 16-bit code), and from there, sometimes, out of long
     * mode: paging off, EFER.LME off, protection off. The exit sequence decodes the same in 32-bit code.
     */
    static void modeSwitch(Step s) {
        if (s.chance(30)) {
            int bit = s.pick(31, 0, 16);
            SystemInstructions.flipBit(s, 0, bit);
            return;
        }
        s.add(Asm.mem(MODE_SWITCH, "lgdt M", false, op(0x0F, 0x01), 2, Mem.absolute((int) FuzzImage.GDT_POINTER)));
        push(s, s.pick(FuzzImage.CODE32, FuzzImage.CODE32, FuzzImage.CODE16, FuzzImage.CODE64, FuzzImage.DATA32));
        returnTo(s, Asm.raw(MODE_SWITCH, "retfq", 0x48, 0xCB));
        if (s.chance(50)) {
            s.add(Asm.reg(MODE_SWITCH, "mov eax, cr0", op(0x0F, 0x20), 0, RAX));
            s.add(Asm.reg(MODE_SWITCH, "btr eax, 31", op(), false, op(0x0F, 0xBA), 6, RAX, 31));
            s.add(Asm.reg(MODE_SWITCH, "mov cr0, eax", op(0x0F, 0x22), 0, RAX));
            if (s.chance(60)) {
                s.set(RCX, 0xC000_0080L).add(Asm.raw(MODE_SWITCH, "rdmsr", 0x0F, 0x32));
                s.add(Asm.reg(MODE_SWITCH, "btr eax, 8", op(), false, op(0x0F, 0xBA), 6, RAX, 8));
                s.add(Asm.raw(MODE_SWITCH, "wrmsr", 0x0F, 0x30));
                if (s.chance(50)) {
                    s.add(Asm.reg(MODE_SWITCH, "mov eax, cr0", op(0x0F, 0x20), 0, RAX));
                    s.add(Asm.reg(MODE_SWITCH, "btr eax, 0", op(), false, op(0x0F, 0xBA), 6, RAX, 0));
                    s.add(Asm.reg(MODE_SWITCH, "mov cr0, eax", op(0x0F, 0x22), 0, RAX));
                }
            }
        }
    }

    private static long flagsValue(Step s) {
        if (s.chance(20)) {
            return s.value();
        }
        long flags = 0x2;
        for (long bit : FLAG_BITS) {
            if (s.chance(25)) {
                flags |= bit;
            }
        }
        return flags;
    }

    static void flags(Step s) {
        switch (s.random.nextInt(3)) {
            case 0 -> {
                push(s, flagsValue(s));
                s.add(s.chance(85) ? Asm.raw(FLAGS, "popfq", 0x9D) : Asm.raw(FLAGS, "popfw", 0x66, 0x9D));
            }
            case 1 -> s.add(Asm.raw(FLAGS, "pushfq", 0x9C)).add(Asm.raw(FLAGS, "pop rax", 0x58));
            default -> s.add(s.pickAny(Asm.raw(FLAGS, "std", 0xFD), Asm.raw(FLAGS, "cld", 0xFC),
                    Asm.raw(FLAGS, "stc", 0xF9), Asm.raw(FLAGS, "cmc", 0xF5), Asm.raw(FLAGS, "sahf", 0x9E),
                    Asm.raw(FLAGS, "lahf", 0x9F)));
        }
    }

    static void stack(Step s) {
        switch (s.random.nextInt(5)) {
            case 0 -> s.set(RSP, s.address() | (s.chance(20) ? s.random.nextInt(8) : 0)).add(s.pickAny(
                    Asm.raw(STACK, "push rax", 0x50), Asm.raw(STACK, "pop rax", 0x58),
                    Asm.raw(STACK, "call +0", 0xE8, 0, 0, 0, 0), Asm.raw(STACK, "pushfq", 0x9C),
                    Asm.raw(STACK, "push 0x10", 0x6A, 0x10), Asm.raw(STACK, "push fs", 0x0F, 0xA0)));
            case 1 -> {
                int size = s.pick(0, 8, 0x1000, 0xFFFF, s.random.nextInt(0x10000));
                int level = s.pick(0, 1, 2, 31, s.random.nextInt(256));
                s.set(RBP, s.chance(50) ? s.address() : s.scratch() + 256);
                s.add(Asm.raw(STACK, "enter " + size + ", " + level, 0xC8, size & 0xFF, size >> 8, level));
            }
            case 2 -> s.set(RBP, s.address()).add(Asm.raw(STACK, "leave", 0xC9));
            case 3 -> s.add(s.chance(50) ? Asm.mem(STACK, "push qword M", false, op(0xFF), 6, s.memory())
                    : Asm.mem(STACK, "pop qword M", false, op(0x8F), 0, s.memory()));
            default -> {
                int amount = s.pick(0x1000, 0x10000, 0x20000, 0x7FFF_FFFF, -0x1000, -0x20000);
                s.add(Asm.reg(STACK, "sub rsp, " + amount, op(), true, op(0x81), 5, RSP, amount & 0xFF,
                        amount >> 8 & 0xFF, amount >> 16 & 0xFF, amount >>> 24)).add(Asm.raw(STACK, "push rax", 0x50));
            }
        }
    }

    static void controlFlow(Step s) {
        switch (s.random.nextInt(6)) {
            case 0 -> s.set(RAX, s.address()).add(s.chance(50) ? Asm.raw(CONTROL_FLOW, "jmp rax", 0xFF, 0xE0)
                    : Asm.raw(CONTROL_FLOW, "call rax", 0xFF, 0xD0));
            case 1 -> {
                push(s, s.address());
                s.add(s.chance(70) ? Asm.raw(CONTROL_FLOW, "ret", 0xC3) : Asm.raw(CONTROL_FLOW, "ret 0x10", 0xC2,
                        0x10, 0));
            }
            case 2 -> {
                int rel = s.chance(50) ? s.random.nextInt(-64, 64) : s.random.nextInt();
                s.add(Asm.raw(CONTROL_FLOW, "jmp " + rel, 0xE9, rel & 0xFF, rel >> 8 & 0xFF, rel >> 16 & 0xFF,
                        rel >>> 24));
            }
            case 3 -> s.add(s.chance(50) ? Asm.mem(CONTROL_FLOW, "jmp qword M", false, op(0xFF), 4, s.memory())
                    : Asm.mem(CONTROL_FLOW, "call qword M", false, op(0xFF), 2, s.memory()));
            case 4 -> s.set(RCX, s.pickLong(0, 1, 2, 0x10000, s.value())).add(s.chance(50)
                    ? Asm.raw(CONTROL_FLOW, "loop $", 0xE2, 0xFE) : Asm.raw(CONTROL_FLOW, "jrcxz +1", 0xE3, 0x01));
            default -> {
                int back = -s.random.nextInt(2, 12); // into the middle of the instructions just before
                s.add(Asm.raw(CONTROL_FLOW, "jmp " + back, 0xEB, back & 0xFF));
            }
        }
    }
}
