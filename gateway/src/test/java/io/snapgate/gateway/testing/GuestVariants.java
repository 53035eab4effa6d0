package io.snapgate.gateway.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Variants of a guest ELF that differ only in their code: testguest's code holds eight bytes that never run (its
 * {@code variant_slot}), which a variant overwrites with its number. A variant behaves as the original, but its code
 * digest is its own, so nothing translated for one variant serves another: many tenants' distinct guests without
 * compiling each.
 */
public final class GuestVariants {
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;
    /** testguest.c's variant_slot: "VANTSLOT", little-endian. */
    private static final long SLOT = 0x544f4c53544e4156L;

    private GuestVariants() {
    }

    /** Variant {@code number} of {@code elf}, a guest whose code has the slot (testguest). */
    public static byte[] variant(byte[] elf, long number) {
        ByteBuffer in = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = in.getLong(0x20);
        int phentsize = Short.toUnsignedInt(in.getShort(0x36));
        int phnum = Short.toUnsignedInt(in.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            int at = Math.toIntExact(phoff + (long) i * phentsize);
            if (in.getInt(at) != PT_LOAD || (in.getInt(at + 4) & PF_X) == 0) {
                continue;
            }
            int offset = Math.toIntExact(in.getLong(at + 8));
            int end = Math.toIntExact(offset + in.getLong(at + 32));
            for (int slot = offset; slot + 8 <= end; slot += 8) { // the slot is 8-aligned in memory and file
                if (in.getLong(slot) == SLOT) {
                    return ByteBuffer.wrap(elf.clone()).order(ByteOrder.LITTLE_ENDIAN).putLong(slot, number).array();
                }
            }
            throw new IllegalArgumentException("the executable segment has no variant slot (testguest.c's)");
        }
        throw new IllegalArgumentException("no executable segment");
    }

    /** Arguments: a guest ELF, a count and a folder: writes {@code v1.elf} to {@code v<count>.elf} there. */
    public static void main(String[] args) throws IOException {
        byte[] elf = Files.readAllBytes(Path.of(args[0]));
        Path folder = Files.createDirectories(Path.of(args[2]));
        for (int n = 1; n <= Integer.parseInt(args[1]); n++) {
            Files.write(folder.resolve("v" + n + ".elf"), variant(elf, n));
        }
    }
}
