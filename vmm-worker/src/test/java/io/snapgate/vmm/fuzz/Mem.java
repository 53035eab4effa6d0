package io.snapgate.vmm.fuzz;

/**
 * A memory operand: {@code [base + index*scale + disp]}, {@code [rip + disp]} (relative to the next instruction:
 * the program's own bytes) or an absolute 32-bit {@code [disp]}.
 */
record Mem(int base, int index, int scale, int disp) {
    static final int NONE = -1;
    static final int RIP = -2;

    static Mem at(int base, int disp) {
        return new Mem(base, NONE, 0, disp);
    }

    static Mem indexed(int base, int index, int scale, int disp) {
        if ((index & 7) == Asm.RSP && index < 8) {
            throw new IllegalArgumentException("rsp cannot be an index");
        }
        return new Mem(base, index, scale, disp);
    }

    static Mem ripRelative(int disp) {
        return new Mem(RIP, NONE, 0, disp);
    }

    static Mem absolute(int address) {
        return new Mem(NONE, NONE, 0, address);
    }

    @Override
    public String toString() {
        if (base == RIP) {
            return String.format("[rip%+d]", disp);
        }
        StringBuilder s = new StringBuilder("[");
        if (base != NONE) {
            s.append(Asm.name(base));
        }
        if (index != NONE) {
            s.append(s.length() > 1 ? "+" : "").append(Asm.name(index)).append('*').append(1 << scale);
        }
        if (base == NONE && index == NONE) {
            s.append(String.format("0x%x", disp));
        } else if (disp != 0) {
            s.append(String.format("%s0x%x", disp < 0 ? "-" : "+", Math.abs((long) disp)));
        }
        return s.append(']').toString();
    }
}
