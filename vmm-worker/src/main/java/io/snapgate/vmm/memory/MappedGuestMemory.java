package io.snapgate.vmm.memory;

import com.sun.jna.Pointer;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import java.util.List;

/**
 * Guest memory mapped in this process: a {@link MemoryFile} mapped at a fixed host address range that
 * the sandbox owns for its whole life. The normal mapping is {@code MAP_PRIVATE}: reads come from the
 * file's pages, writes get pages of their own, and the file never changes. Remapping another file reuses
 * the same addresses (MAP_FIXED), so a vCPU's view of the memory stays valid.
 *
 * <p>Reset relies on a property of private file mappings: after {@code MADV_DONTNEED} the next access
 * sees the file's page again, so dropping the private pages restores the image, at a cost that follows
 * the pages dirtied, not the memory size. A private mapping is registered with {@link FaultAround}, so only
 * the pages the guest touches are present and a copy-back restore scans few.
 *
 * <p>Every host access takes a guest address and is bounds-checked against the memory size.
 */
public final class MappedGuestMemory implements GuestMemory {
    private final MemoryLayout layout;
    private final long base;
    private final Pointer memory;
    private final List<Region> writable;
    private final PrivatePages.Factory finder;
    private MemoryFile file;
    /** Made by the first copy-back reset (a shared mapping, or one reset by dropping, never needs it). */
    private PrivatePages privatePages;
    private boolean closed;

    private MappedGuestMemory(MemoryLayout layout, long base, MemoryFile file, PrivatePages.Factory finder) {
        this.layout = layout;
        this.base = base;
        this.memory = new Pointer(base);
        this.writable = layout.writable();
        this.file = file;
        this.finder = finder;
    }

    /**
     * Maps {@code file} with {@code layout}. {@code shared} maps it {@code MAP_SHARED} so writes land in the
     * file (used only while building an image); otherwise {@code MAP_PRIVATE}.
     */
    public static MappedGuestMemory map(MemoryFile file, MemoryLayout layout, boolean shared) {
        return map(file, layout, shared, PrivatePages::of);
    }

    /** As {@link #map(MemoryFile, MemoryLayout, boolean)}, finding the pages to copy back with {@code finder}. */
    static MappedGuestMemory map(MemoryFile file, MemoryLayout layout, boolean shared, PrivatePages.Factory finder) {
        checkSize(file, layout);
        file.retain();
        try {
            long base = Libc.map(0, layout.size(), Libc.PROT_READ | Libc.PROT_WRITE, flags(shared), file.fd(), 0);
            if (!shared) {
                FaultAround.disable(base, layout.size());
            }
            return new MappedGuestMemory(layout, base, file, finder);
        } catch (RuntimeException e) {
            file.release();
            throw e;
        }
    }

    /** Maps {@code next} over the same addresses, dropping everything the previous mapping held. */
    @Override
    public void remap(MemoryFile next, boolean shared) {
        checkOpen();
        checkSize(next, layout);
        next.retain();
        try {
            Libc.map(base, layout.size(), Libc.PROT_READ | Libc.PROT_WRITE, flags(shared) | Libc.MAP_FIXED,
                    next.fd(), 0);
            if (!shared) {
                FaultAround.disable(base, layout.size()); // the new mapping is a new area: register it again
            }
        } catch (RuntimeException e) {
            next.release();
            throw e;
        }
        file.release();
        file = next;
    }

    private static int flags(boolean shared) {
        return shared ? Libc.MAP_SHARED : Libc.MAP_PRIVATE;
    }

    private static void checkSize(MemoryFile file, MemoryLayout layout) {
        // A mapping past the end of the file would raise SIGBUS on first touch: refuse it here.
        if (file.size() != layout.size()) {
            throw new IllegalArgumentException(file + " does not match the layout's memory size " + layout.size());
        }
    }

    /** Brings every writable page back to the file's content, the way {@code strategy} says. */
    @Override
    public void reset(ResetStrategy strategy) {
        checkOpen();
        switch (strategy) {
            case DROP -> {
                for (Region r : writable) {
                    Libc.adviseDontNeed(base + r.guestAddress(), r.size());
                }
            }
            case COPY_BACK -> copyBackPrivatePages();
        }
    }

    private void copyBackPrivatePages() {
        if (privatePages == null) {
            privatePages = finder.create(base, writable);
        }
        long pristine = file.pristine();
        // In bounds: each run lies inside a writable region, which lies inside both mappings of layout.size().
        privatePages.forEach((from, to) -> Libc.copy(base + from, pristine + from, to - from));
    }

    /** A new in-memory file holding the memory as it is now. */
    @Override
    public MemoryFile copyToFile(String name) {
        checkOpen();
        return MemoryFile.copyOf(name, base, layout.size());
    }

    /**
     * The vCPU's view: one slot per region. Code slots point into the file's shared read-only view (code is
     * never written, so every sandbox of the file can run the same host pages, and a vCPU can keep them while
     * it holds a lease on the file); the others into this private mapping.
     */
    @Override
    public List<MemorySlot> slots() {
        long shared = file.pristine();
        return layout.regions().stream()
                .map(r -> new MemorySlot(r.name(), r.guestAddress(),
                        (r.protection() == Protection.READ_EXECUTE ? shared : base) + r.guestAddress(), r.size(),
                        r.protection()))
                .toList();
    }

    @Override
    public MemoryLayout layout() {
        return layout;
    }

    @Override
    public MemoryFile file() {
        return file;
    }

    /** The host memory itself, for code that writes a whole image (page tables); offsets are guest addresses. */
    @Override
    public Pointer pointer() {
        return memory;
    }

    @Override
    public int readInt(long address) {
        check(address, 4);
        return memory.getInt(address);
    }

    @Override
    public long readLong(long address) {
        check(address, 8);
        return memory.getLong(address);
    }

    @Override
    public void writeInt(long address, int value) {
        check(address, 4);
        memory.setInt(address, value);
    }

    @Override
    public void writeLong(long address, long value) {
        check(address, 8);
        memory.setLong(address, value);
    }

    @Override
    public byte[] read(long address, int length) {
        check(address, length);
        byte[] bytes = new byte[length];
        memory.read(address, bytes, 0, length);
        return bytes;
    }

    @Override
    public void write(long address, byte[] bytes) {
        check(address, bytes.length);
        memory.write(address, bytes, 0, bytes.length);
    }

    private void check(long address, long length) {
        checkOpen();
        if (address < 0 || length < 0 || address > layout.size() - length) {
            throw new IndexOutOfBoundsException(String.format("guest access 0x%x+%d outside memory of %d bytes",
                    address, length, layout.size()));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("guest memory is unmapped");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.unmap(base, layout.size());
            file.release();
        }
    }
}
