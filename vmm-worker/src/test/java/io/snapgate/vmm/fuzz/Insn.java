package io.snapgate.vmm.fuzz;

import java.util.HexFormat;

/** One instruction of a generated program: its encoding, an Intel-syntax reading of it, and its class. */
record Insn(Category category, String text, byte[] bytes) {
    Insn {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    /** {@code 0f 23 f8  mov dr7, rax}. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(" ").formatHex(bytes) + "  " + text;
    }
}
