package io.snapgate.gateway.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Variants of a guest ELF that differ only in their code: the executable segment gets 8 more bytes (the variant's
 * number) right after its last byte, in the page it already ends in, never executed. A variant behaves as the
 * original, but its code digest is its own, so nothing translated for one variant serves another: many tenants'
 * distinct guests without compiling each.
 */
public final class GuestVariants {
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;
    private static final int PAGE = 0x1000;

    private GuestVariants() {
    }

    /** Variant {@code number} of {@code elf}. */
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
            long offset = in.getLong(at + 8);
            long fileSize = in.getLong(at + 32);
            int end = Math.toIntExact(offset + fileSize);
            if (fileSize != in.getLong(at + 40) || end % PAGE + 8 > PAGE || in.getLong(end) != 0) {
                throw new IllegalArgumentException("the executable segment has no 8 free bytes after its end");
            }
            ByteBuffer out = ByteBuffer.wrap(elf.clone()).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(end, number).putLong(at + 32, fileSize + 8).putLong(at + 40, fileSize + 8);
            return out.array();
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
