package io.snapgate.vmm.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The bytes hostile.c's {@code fingerprint()} returns: the architectural state a guest can read back. Two
 * fingerprints are compared field by field, so a failure names what survived.
 */
final class Fingerprint {
    /** The 64-bit fields at the start, in the order of the C struct. */
    private static final List<String> FIELDS = List.of("cr0", "cr2", "cr3", "cr4", "cr8", "dr0", "dr1", "dr2", "dr3",
            "dr6", "dr7", "gdt_base", "gdt_limit", "idt_base", "idt_limit", "ldtr", "tr", "cs", "ds", "es", "fs", "gs",
            "ss", "rflags", "xcr0", "fs_base", "gs_base", "kernel_gs_base", "tsc_aux", "zero");
    /** Then the FXSAVE image (x87, MXCSR, XMM0-15) and the upper halves of YMM0-15. */
    private static final int FXSAVE = 512;
    private static final int AVX = 256;
    static final int SIZE = FIELDS.size() * Long.BYTES + FXSAVE + AVX;

    private Fingerprint() {
    }

    /** What differs from {@code expected} in {@code actual}, one entry per field or area; empty when equal. */
    static List<String> differences(byte[] expected, byte[] actual) {
        List<String> differences = new ArrayList<>();
        if (expected.length != SIZE || actual.length != SIZE) {
            differences.add("sizes " + expected.length + " and " + actual.length + ", expected " + SIZE);
            return differences;
        }
        ByteBuffer a = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < FIELDS.size(); i++) {
            if (a.getLong(i * Long.BYTES) != b.getLong(i * Long.BYTES)) {
                differences.add(String.format("%s 0x%x -> 0x%x", FIELDS.get(i), a.getLong(i * Long.BYTES),
                        b.getLong(i * Long.BYTES)));
            }
        }
        area(differences, "x87/SSE (FXSAVE)", expected, actual, FIELDS.size() * Long.BYTES, FXSAVE);
        area(differences, "AVX (YMM upper halves)", expected, actual, FIELDS.size() * Long.BYTES + FXSAVE, AVX);
        return differences;
    }

    private static void area(List<String> differences, String name, byte[] a, byte[] b, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (a[i] != b[i]) {
                HexFormat hex = HexFormat.of();
                differences.add(name + " differs from byte " + (i - from) + ": " + hex.formatHex(a, i, from + length)
                        + " -> " + hex.formatHex(b, i, from + length));
                return;
            }
        }
    }
}
