package io.snapgate.vmm.fuzz;

import io.snapgate.vmm.elf.ElfImage;
import io.snapgate.vmm.elf.Segment;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.sandbox.SandboxLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The guest image a program runs in, shaped like a real guest's: code (read+execute) at the image base, a
 * read-only page holding a GDT for mode switches (then garbage), and a writable data segment of garbage, followed
 * by the regions {@link MemoryLayout#plan} adds, with a sandbox's default sizes or a heap large enough that the
 * emulated backend once mapped it by chunks on first touch ({@link #LAZY_HEAP}). Everything but the code is the
 * same for every program.
 */
final class FuzzImage {
    static final long CODE = MemoryLayout.IMAGE_BASE;
    static final int CODE_SIZE = 0x4000;
    static final long RODATA = CODE + CODE_SIZE;
    /** The GDT's pseudo-descriptor (limit, base) for {@code lgdt}. */
    static final long GDT_POINTER = RODATA + 0x40;
    static final long DATA = RODATA + 0x1000;
    /** Selectors in the image's GDT: 64-bit, 32-bit and 16-bit code, and data (wrong for CS). */
    static final int CODE64 = 0x08;
    static final int CODE32 = 0x10;
    static final int DATA32 = 0x18;
    static final int CODE16 = 0x20;
    /** A sandbox's default sizes, 1 MiB of heap. */
    static final LayoutSizes DEFAULT = LayoutSizes.DEFAULT;
    /** An 8 MiB heap: from 4 MiB on, the emulated backend mapped a slot a chunk at a time, inside a fault hook. */
    static final LayoutSizes LAZY_HEAP = new LayoutSizes(8 << 20, DEFAULT.stack(), DEFAULT.input(), DEFAULT.output());

    private static final long[] GDT = {0, 0x00AF_9A00_0000_FFFFL, 0x00CF_9A00_0000_FFFFL, 0x00CF_9200_0000_FFFFL,
        0x008F_9A00_0000_FFFFL, 0x0000_8900_1000_0067L};
    private static final int DATA_SIZE = 0x10000;
    private static final byte[] RODATA_BYTES = rodata();
    private static final byte[] DATA_BYTES = garbage(2, 0x1000);

    private FuzzImage() {
    }

    /** The image with {@code code} at {@link #CODE}, entered there. */
    static ElfImage of(byte[] code) {
        if (code.length > CODE_SIZE) {
            throw new IllegalArgumentException("a program of " + code.length + " bytes exceeds " + CODE_SIZE);
        }
        return new ElfImage(CODE, List.of(new Segment(CODE, CODE_SIZE, code, true, false, true),
                new Segment(RODATA, RODATA_BYTES.length, RODATA_BYTES, true, false, false),
                new Segment(DATA, DATA_SIZE, DATA_BYTES, true, true, false)));
    }

    /** The layout programs run under with {@code sizes}. */
    static MemoryLayout layout(LayoutSizes sizes) {
        return SandboxLayout.layout(of(new byte[0]), sizes);
    }

    private static byte[] rodata() {
        byte[] bytes = garbage(1, 0x1000);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < GDT.length; i++) {
            b.putLong(i * 8, GDT[i]);
        }
        b.putShort((int) (GDT_POINTER - RODATA), (short) (GDT.length * 8 - 1)).putLong((int) (GDT_POINTER - RODATA)
                + 2, RODATA);
        return bytes;
    }

    private static byte[] garbage(long seed, int length) {
        byte[] bytes = new byte[length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
