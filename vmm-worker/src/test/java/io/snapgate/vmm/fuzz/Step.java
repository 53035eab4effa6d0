package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Asm.R11;
import static io.snapgate.vmm.fuzz.Asm.R12;
import static io.snapgate.vmm.fuzz.Asm.RAX;
import static io.snapgate.vmm.fuzz.Asm.op;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One step of a program being generated: the instructions for one idea (load the values, then the instruction
 * that uses them), and the helpers the instruction families share to choose operands. R11 and R12 are the
 * address registers, RAX the value register.
 */
final class Step {
    final SplittableRandom random;
    final Targets targets;
    private final List<Insn> insns = new ArrayList<>();

    Step(SplittableRandom random, Targets targets) {
        this.random = random;
        this.targets = targets;
    }

    List<Insn> insns() {
        return insns;
    }

    Step add(Insn insn) {
        insns.add(insn);
        return this;
    }

    /** {@code mov register, value}. */
    Step set(int register, long value) {
        return add(Asm.mov(register, value));
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    int pick(int... options) {
        return options[random.nextInt(options.length)];
    }

    long pickLong(long... options) {
        return options[random.nextInt(options.length)];
    }

    @SafeVarargs
    final <T> T pickAny(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** An interesting address or value ({@link Targets}). */
    long address() {
        return targets.address(random);
    }

    long value() {
        return targets.value(random);
    }

    /**
     * A memory operand at {@code address}, addressed as a guest would: an absolute 32-bit address, R11 plus a
     * displacement, R11 plus a scaled index in R12 (a garbage index lands anywhere), or RIP-relative near the
     * program's own code (the address is then ignored: the operand refers to the code itself).
     */
    Mem memory(long address) {
        int form = random.nextInt(8);
        if (form == 0 && address == (int) address) {
            return Mem.absolute((int) address);
        }
        if (form == 1) {
            return Mem.ripRelative(random.nextInt(-64, 64));
        }
        if (form == 2) {
            int scale = random.nextInt(4);
            long index = chance(80) ? random.nextInt(-4, 5) : value();
            set(R11, address - (index << scale));
            set(R12, index);
            return Mem.indexed(R11, R12, scale, 0);
        }
        int disp = pick(0, 0, 8, -8, 0x7F, -0x80, 0x1000);
        set(R11, address - disp);
        return Mem.at(R11, disp);
    }

    /** A memory operand at an interesting address. */
    Mem memory() {
        return memory(address());
    }

    /** {@code mov qword [address], value}, through R11 and RAX. */
    Step store(long address, long value) {
        set(R11, address);
        set(RAX, value);
        return add(Asm.mem(Category.SETUP, "mov M, rax", true, op(0x89), RAX, Mem.at(R11, 0)));
    }

    /** Writable, 16-byte aligned memory with at least 512 bytes after it. */
    long scratch() {
        return targets.scratch(random);
    }
}
