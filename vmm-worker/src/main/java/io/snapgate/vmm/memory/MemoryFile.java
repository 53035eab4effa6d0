package io.snapgate.vmm.memory;

import com.sun.jna.Pointer;
import io.snapgate.store.fs.Posix;
import io.snapgate.vmm.sys.Libc;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file holding a guest memory image: an anonymous memfd for images made in memory, or a snapshot blob from
 * the store, known by its digest. Sandboxes map it privately, so its content never changes once it is an
 * image; it is reference counted because many sandboxes map one file, and closed when the last one lets go.
 */
public final class MemoryFile {
    private final String name;
    private final int fd;
    private final long size;
    /** The store blob's digest ({@code sha256:<hex>}), or null for an image made in memory. */
    private final String digest;
    private final AtomicInteger references = new AtomicInteger(1);
    /** A read-only shared view of the whole file, made on first use; 0 until then (volatile: read unlocked). */
    private volatile long pristine;

    private MemoryFile(String name, int fd, long size, String digest) {
        this.name = name;
        this.fd = fd;
        this.size = size;
        this.digest = digest;
    }

    /**
     * Takes over {@code fd}, an open store blob of {@code size} bytes with {@code digest}. Maps the read-only
     * view at once, so the caller can check that the file did not change before it was mapped.
     */
    public static MemoryFile fromBlob(String name, int fd, long size, String digest) {
        MemoryFile file = new MemoryFile(name, fd, size, digest);
        try {
            file.pristine();
        } catch (RuntimeException e) {
            file.release();
            throw e;
        }
        return file;
    }

    /** A new zero-filled in-memory file of {@code size} bytes. */
    public static MemoryFile anonymous(String name, long size) {
        int fd = Libc.memfdCreate(name);
        try {
            Libc.truncate(fd, size);
        } catch (RuntimeException e) {
            Posix.close(fd);
            throw e;
        }
        return new MemoryFile(name, fd, size, null);
    }

    /** A new in-memory file holding a copy of {@code size} bytes of host memory at {@code address}. */
    public static MemoryFile copyOf(String name, long address, long size) {
        MemoryFile file = anonymous(name, size);
        try {
            for (long done = 0; done < size; ) {
                done += Posix.pwrite(file.fd, address + done, size - done, done);
            }
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

    /** A path under /proc by which a child process of ours opens this same file (while this one is open). */
    public String procPath() {
        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
    }

    /** The store blob's digest, or null for an image made in memory. */
    public String digest() {
        return digest;
    }

    /** True when both hold the same image: the same file, or the same store blob opened twice. */
    public boolean sameImage(MemoryFile other) {
        return this == other || (digest != null && digest.equals(other.digest));
    }

    /** {@code length} bytes of the image from {@code offset}, read-only, for streaming it out. */
    public ByteBuffer view(long offset, int length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("view " + offset + "+" + length + " outside " + this);
        }
        return new Pointer(pristine()).getByteBuffer(offset, length).asReadOnlyBuffer();
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
    long pristine() {
        long view = pristine;
        return view != 0 ? view : mapPristine();
    }

    private synchronized long mapPristine() {
        if (references.get() <= 0) {
            throw new IllegalStateException(this + " is closed");
        }
        if (pristine == 0) {
            pristine = Libc.map(0, size, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0);
        }
        return pristine;
    }

    /**
     * One user fewer; the last one closes the file descriptor (other mappings stay valid), which ends a store
     * blob's in-use mark: gc may then delete it.
     */
    public void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            synchronized (this) {
                if (pristine != 0) {
                    Libc.unmap(pristine, size);
                    pristine = 0;
                }
            }
            Posix.close(fd);
        } else if (n < 0) {
            throw new IllegalStateException("memory file " + name + " released more often than retained");
        }
    }

    @Override
    public String toString() {
        return "memory file " + name + " (" + size + " bytes)";
    }
}
