package io.snapgate.vmm.fuzz;

import static io.snapgate.vmm.fuzz.Category.PREFIX_SOUP;
import static io.snapgate.vmm.fuzz.Category.RANDOM_BYTES;

/** Bytes the decoder must survive: runs of prefixes (past the 15-byte limit too) before an opcode, random bytes. */
final class RawBytes {
    private static final int[] PREFIXES = {0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x40,
        0x41, 0x44, 0x48, 0x4F};
    /** Opening bytes of the instructions the other families emit: a soup of prefixes goes before one of them. */
    private static final int[][] OPENINGS = {{0x0F, 0x01}, {0x0F, 0x22, 0xC0}, {0x0F, 0x23, 0xF8}, {0x0F, 0x30},
        {0xA4}, {0xAB}, {0x0F, 0xAE}, {0x0F, 0xC7}, {0x90}, {0x0F, 0x05}, {0xC4}, {0xC5}, {0x62}, {0x8E}, {0xCF},
        {0x0F, 0x38}, {0x0F, 0x3A}, {0xD9}, {0xFF}, {0xE8}};

    private RawBytes() {
    }

    static void prefixSoup(Step s) {
        int prefixes = s.chance(70) ? s.random.nextInt(1, 5) : s.random.nextInt(5, 17);
        int[] opening = s.pickAny(OPENINGS);
        int tail = s.random.nextInt(0, 7);
        int[] bytes = new int[prefixes + opening.length + tail];
        for (int i = 0; i < prefixes; i++) {
            bytes[i] = s.pick(PREFIXES);
        }
        System.arraycopy(opening, 0, bytes, prefixes, opening.length);
        for (int i = prefixes + opening.length; i < bytes.length; i++) {
            bytes[i] = s.random.nextInt(256);
        }
        s.add(Asm.raw(PREFIX_SOUP, "(prefixes, an opening, random bytes)", bytes));
    }

    static void randomBytes(Step s) {
        int[] bytes = new int[s.random.nextInt(1, 17)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = s.random.nextInt(256);
        }
        if (s.chance(40)) {
            bytes[0] = 0x0F; // the two-byte map holds most system instructions
        }
        s.add(Asm.raw(RANDOM_BYTES, "(random bytes)", bytes));
    }
}
