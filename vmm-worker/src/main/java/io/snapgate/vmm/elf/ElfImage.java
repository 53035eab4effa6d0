package io.snapgate.vmm.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A statically linked x86-64 guest executable, parsed and checked: the entry point and its loadable
 * segments. Everything in the file is treated as hostile: every offset and size is bounds-checked.
 */
public record ElfImage(long entry, List<Segment> segments) {
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int MAX_SEGMENTS = 64;
    private static final int ET_EXEC = 2;
    private static final int EM_X86_64 = 62;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final int PF_X = 1;
    private static final int PF_W = 2;
    private static final int PF_R = 4;
    private static final long PAGE = 4096;

    public ElfImage {
        segments = List.copyOf(segments);
    }

    /** The lowest and highest address any segment occupies, page-rounded. */
    public long start() {
        return segments.get(0).address() & -PAGE;
    }

    public long end() {
        return (segments.get(segments.size() - 1).end() + PAGE - 1) & -PAGE;
    }

    /**
     * Parses {@code bytes}, requiring every segment inside {@code [lowest, highest)}.
     *
     * @throws ElfException naming the first check that failed
     */
    public static ElfImage parse(byte[] bytes, long lowest, long highest) {
        if (bytes.length < EHDR_SIZE) {
            throw new ElfException("not an ELF file: " + bytes.length + " bytes, shorter than an ELF header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464C457F) {
            throw new ElfException("not an ELF file: bad magic");
        }
        check(bytes[4] == 2, "not a 64-bit ELF (class " + bytes[4] + ")");
        check(bytes[5] == 1, "not a little-endian ELF");
        check(b.getShort(16) == ET_EXEC, "not a static executable (ELF type " + b.getShort(16)
                + "; link with -static -no-pie)");
        check(b.getShort(18) == EM_X86_64, "not an x86-64 ELF (machine " + b.getShort(18) + ")");
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        check(phentsize == PHDR_SIZE, "program header size " + phentsize + ", expected " + PHDR_SIZE);
        check(phnum > 0 && phnum <= MAX_SEGMENTS, phnum + " program headers (1 to " + MAX_SEGMENTS + " allowed)");
        check(phoff >= 0 && phoff <= bytes.length - (long) phnum * PHDR_SIZE,
                "program headers at " + phoff + " run past the end of the file (" + bytes.length + " bytes)");

        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + i * PHDR_SIZE;
            int type = b.getInt(at);
            check(type != PT_DYNAMIC && type != PT_INTERP, "dynamically linked (program header " + i
                    + "); guests must be static");
            if (type == PT_LOAD) {
                segments.add(segment(b, bytes, at, i, lowest, highest));
            }
        }
        check(!segments.isEmpty(), "no loadable segment");
        segments.sort(Comparator.comparingLong(Segment::address));
        for (int i = 1; i < segments.size(); i++) {
            Segment prev = segments.get(i - 1);
            Segment next = segments.get(i);
            check(((prev.end() + PAGE - 1) & -PAGE) <= (next.address() & -PAGE), String.format(
                    "segments at 0x%x (%s) and 0x%x (%s) share a page; each segment must start on its own page",
                    prev.address(), prev.flags(), next.address(), next.flags()));
        }
        boolean entryInCode = segments.stream()
                .anyMatch(s -> s.executable() && entry >= s.address() && entry < s.end());
        check(entryInCode, String.format("entry point 0x%x is not inside an executable segment", entry));
        return new ElfImage(entry, segments);
    }

    private static Segment segment(ByteBuffer b, byte[] bytes, int at, int index, long lowest, long highest) {
        int flags = b.getInt(at + 4);
        long offset = b.getLong(at + 8);
        long vaddr = b.getLong(at + 16);
        long filesz = b.getLong(at + 32);
        long memsz = b.getLong(at + 40);
        String what = "segment " + index;
        check(filesz >= 0 && memsz >= 0 && filesz <= memsz, what + ": file size " + filesz
                + " exceeds memory size " + memsz);
        check(offset >= 0 && offset <= bytes.length && filesz <= bytes.length - offset,
                what + ": file range runs past the end of the file");
        check(vaddr >= lowest && vaddr < highest && memsz <= highest - vaddr, String.format(
                "%s: 0x%x..0x%x is outside the image area 0x%x..0x%x", what, vaddr, vaddr + memsz, lowest, highest));
        boolean writable = (flags & PF_W) != 0;
        boolean executable = (flags & PF_X) != 0;
        check(!(writable && executable), String.format("%s at 0x%x is writable and executable (W^X)", what, vaddr));
        byte[] data = new byte[(int) filesz];
        System.arraycopy(bytes, (int) offset, data, 0, (int) filesz);
        return new Segment(vaddr, memsz, data, (flags & PF_R) != 0, writable, executable);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ElfException("invalid guest ELF: " + message);
        }
    }
}
