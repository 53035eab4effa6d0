package io.snapgate.vmm.memory;

import io.snapgate.vmm.sys.Libc;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file holding a guest memory image: an anonymous memfd for images made in memory, or (later) a snapshot
 * blob on disk. Sandboxes map it privately, so its content never changes once it is an image; it is
 * reference counted because many sandboxes map one file, and closed when the last one lets go.
 */
public final class MemoryFile {
    private final String name;
    private final int fd;
    private final long size;
    private final AtomicInteger references = new AtomicInteger(1);
    /** A read-only shared view of the whole file, made on first use; 0 until then. */
    private long pristine;

    private MemoryFile(String name, int fd, long size) {
        this.name = name;
        this.fd = fd;
        this.size = size;
    }

    /** A new zero-filled in-memory file of {@code size} bytes. */
    public static MemoryFile anonymous(String name, long size) {
        int fd = Libc.memfdCreate(name);
        try {
            Libc.truncate(fd, size);
        } catch (RuntimeException e) {
            Libc.closeFd(fd);
            throw e;
        }
        return new MemoryFile(name, fd, size);
    }

    /** A new in-memory file holding a copy of {@code size} bytes of host memory at {@code address}. */
    public static MemoryFile copyOf(String name, long address, long size) {
        MemoryFile file = anonymous(name, size);
        try {
            Libc.writeFully(file.fd, address, size, 0);
        } catch (RuntimeException e) {
            file.release();
            throw e;
        }
        return file;
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    int fd() {
        return fd;
    }

    /** One more user of this file; each must {@link #release()}. */
    public MemoryFile retain() {
        int n = references.getAndIncrement();
        if (n <= 0) {
            references.getAndDecrement();
            throw new IllegalStateException("memory file " + name + " is already closed");
        }
        return this;
    }

    /**
     * The file's content, mapped read-only and shared by every sandbox of this file: where a keep-resident
     * reset copies pages from. Valid until the last reference is released.
     */
    synchronized long pristine() {
        if (pristine == 0) {
            pristine = Libc.map(0, size, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0);
        }
        return pristine;
    }

    /** One user fewer; the last one closes the file descriptor (other mappings stay valid). */
    public void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            synchronized (this) {
                if (pristine != 0) {
                    Libc.unmap(pristine, size);
                    pristine = 0;
                }
            }
            Libc.closeFd(fd);
        } else if (n < 0) {
            throw new IllegalStateException("memory file " + name + " released more often than retained");
        }
    }

    @Override
    public String toString() {
        return "memory file " + name + " (" + size + " bytes)";
    }
}
