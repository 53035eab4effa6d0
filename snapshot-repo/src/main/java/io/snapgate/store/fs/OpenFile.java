package io.snapgate.store.fs;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A descriptor together with the path it was opened from, so that every failure names the file. Closing is
 * idempotent (a descriptor number is reused by the kernel, so closing twice could close someone else's
 * file); {@link #detach()} hands the descriptor to a caller that closes it itself.
 */
public final class OpenFile implements AutoCloseable {
    /**
     * How snapgate opens a file it only reads and may map: never through a final symbolic link, closed on
     * exec, and non-blocking, so that a fifo planted where a file should be cannot hang the open (the flag
     * changes nothing for a regular file, nor for mmap).
     */
    public static final int READ_ONLY_FLAGS = Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC | Posix.O_NONBLOCK;

    private final int fd;
    private final Path path;
    private final AtomicBoolean owned = new AtomicBoolean(true);

    private OpenFile(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /** Opens an existing file with {@link #READ_ONLY_FLAGS}. */
    public static OpenFile readOnly(Path path) {
        return new OpenFile(Posix.open(path, READ_ONLY_FLAGS), path);
    }

    public int fd() {
        return fd;
    }

    public Path path() {
        return path;
    }

    public FileStat stat() {
        return Posix.fstat(fd, path);
    }

    /** Reads until {@code dst} is full or the file ends; returns the count read. */
    public int readFully(ByteBuffer dst, long offset) {
        return Posix.readFully(fd, dst, offset, path);
    }

    /**
     * The whole file of {@code size} bytes (what the caller's {@link #stat()} reported: one {@code fstat} per
     * read, not two), refused before reading anything when larger than {@code limit}. Shorter if the file shrank
     * meanwhile; bytes beyond {@code size} are not read.
     */
    public byte[] readAll(long size, long limit) {
        if (size > limit) {
            throw new FileTooLargeException(path, size, limit);
        }
        byte[] bytes = new byte[(int) size];
        int n = readFully(ByteBuffer.wrap(bytes), 0);
        return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
    }

    /**
     * Marks the file in use by this open file (a shared {@code flock}) for as long as it stays open, in this
     * process or any other: see {@link #tryLockUnused()}. False, and nothing marked, while a caller of that holds
     * the file (a gc deleting it).
     */
    public boolean tryLockInUse() {
        return Posix.tryLock(fd, false, path);
    }

    /** True, and the file then locked for this caller alone, when no open file anywhere has it marked in use. */
    public boolean tryLockUnused() {
        return Posix.tryLock(fd, true, path);
    }

    /** Gives up ownership: returns the descriptor, which the caller must close; {@link #close()} then does nothing. */
    public int detach() {
        if (!owned.getAndSet(false)) {
            throw new IllegalStateException(path + " is already closed or detached");
        }
        return fd;
    }

    @Override
    public void close() {
        if (owned.getAndSet(false)) {
            Posix.close(fd);
        }
    }

    @Override
    public String toString() {
        return path + " (fd " + fd + ")";
    }
}
