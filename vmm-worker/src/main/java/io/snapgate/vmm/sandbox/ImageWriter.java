package io.snapgate.vmm.sandbox;

import com.sun.jna.Pointer;
import io.snapgate.vmm.abi.ControlPage;
import io.snapgate.vmm.elf.ElfImage;
import io.snapgate.vmm.elf.Segment;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.PageTables;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.vcpu.Protection;
import io.snapgate.vmm.vcpu.VcpuBackend;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Lays out a guest ELF in memory and writes the initial image: control page, page tables and segments. */
final class ImageWriter {
    private ImageWriter() {
    }

    /** The layout for this ELF: one region per segment, then the regions {@code sizes} asks for. */
    static MemoryLayout layout(ElfImage elf, LayoutSizes sizes) {
        List<Region> image = elf.segments().stream().map(ImageWriter::region).toList();
        return MemoryLayout.plan(image, sizes);
    }

    private static Region region(Segment s) {
        long start = s.address() & -MemoryLayout.PAGE_SIZE;
        long end = (s.end() + MemoryLayout.PAGE_SIZE - 1) & -MemoryLayout.PAGE_SIZE;
        Protection protection = s.executable() ? Protection.READ_EXECUTE
                : s.writable() ? Protection.READ_WRITE : Protection.READ_ONLY;
        return new Region(String.format("image %s @0x%x", s.flags(), start), start, end - start, protection);
    }

    /** New zero-filled guest memory for {@code layout}, mapped shared on {@code backend}'s host: ready for write(). */
    static GuestMemory newMemory(VcpuBackend backend, MemoryLayout layout) {
        MemoryFile file = MemoryFile.anonymous("snapgate-image", layout.size());
        try {
            return Sandbox.mapMemory(backend, file, layout, true);
        } finally {
            file.release();
        }
    }

    /** Writes the image into freshly mapped, zero-filled memory. */
    static void write(ElfImage elf, GuestMemory memory) {
        MemoryLayout layout = memory.layout();
        Pointer p = memory.pointer();
        long control = ControlPage.ADDRESS;
        p.setLong(control + ControlPage.MAGIC_OFFSET, ControlPage.MAGIC);
        p.setInt(control + ControlPage.ABI_VERSION_OFFSET, ControlPage.ABI_VERSION);
        put(p, ControlPage.HEAP_BASE_OFFSET, layout.region(MemoryLayout.HEAP));
        put(p, ControlPage.INPUT_BASE_OFFSET, layout.region(MemoryLayout.INPUT));
        put(p, ControlPage.OUTPUT_BASE_OFFSET, layout.region(MemoryLayout.OUTPUT));
        p.setLong(control + ControlPage.STACK_TOP_OFFSET, layout.stackTop());
        PageTables.write(p, layout.size());
        for (Segment s : elf.segments()) {
            memory.write(s.address(), s.data());
        }
    }

    private static void put(Pointer p, int offset, Region region) {
        p.setLong(ControlPage.ADDRESS + offset, region.guestAddress());
        p.setLong(ControlPage.ADDRESS + offset + 8, region.size());
    }

    /** SHA-256 (hex) of every code region's bytes in {@code file}. */
    static String codeDigest(MemoryFile file, MemoryLayout layout) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Region r : layout.code()) {
                sha.update(file.view(r.guestAddress(), Math.toIntExact(r.size())));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
