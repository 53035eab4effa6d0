package io.snapgate.store.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The file-level system calls snapgate makes itself, through JNA direct mapping. Every wrapper throws
 * {@link PosixException} naming the call, the file and errno; descriptors are plain {@code int}s the caller
 * owns and must {@link #close}. Nothing here creates a file unless asked: {@link #open(Path, int)} refuses
 * {@code O_CREAT}, {@link #create} requires a mode.
 *
 * <p>Buffers: the read and write calls take a {@link ByteBuffer} (a direct one is used in place; JNA copies
 * a heap one's array around the call) or a native address and length the caller has checked.
 */
public final class Posix {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    private static final int O_TMPFILE = 020000000;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;

    private Posix() {
    }

    /**
     * The C functions, bound by JNA direct mapping; only the wrappers below call them. Paths are passed as
     * NUL-terminated bytes ({@link #cString}): JNA converts a {@code String} argument by calling back into Java
     * from native code, which costs more than the system call (1.3 us of open's 3.2 us here).
     */
    private static final class C {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int open(byte[] path, int flags, int mode) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native long pread(int fd, long buf, long count, long offset) throws LastErrorException;

        /** JNA copies the array in and out around the call. */
        static native long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

        static native long pwrite(int fd, long buf, long count, long offset) throws LastErrorException;

        static native long pwrite(int fd, byte[] buf, long count, long offset) throws LastErrorException;

        static native int fsync(int fd) throws LastErrorException;

        static native int rename(byte[] from, byte[] to) throws LastErrorException;

        static native int flock(int fd, int operation) throws LastErrorException;

        static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;
    }

    /** The empty path of an {@code fstat} ({@code statx} with {@code AT_EMPTY_PATH}). */
    private static final byte[] EMPTY_PATH = {0};

    /** {@code path} as the C string JNA would make of it (its default encoding), without JNA's upcall. */
    private static byte[] cString(Path path) {
        return Native.toByteArray(path.toString());
    }

    /** Opens an existing file. {@code O_CLOEXEC} is always added; {@code O_CREAT} is refused (use {@link #create}). */
    public static int open(Path path, int flags) {
        if ((flags & (O_CREAT | O_TMPFILE)) != 0) {
            throw new IllegalArgumentException("open(" + path + "): O_CREAT needs a mode, use Posix.create");
        }
        return openWithMode(path, flags, 0);
    }

    /** Creates (or, without {@code O_EXCL}, opens) a file with {@code O_CREAT} and the given mode, such as 0644. */
    public static int create(Path path, int flags, int mode) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException(String.format(
                    "create(%s): mode 0%o is not a permission mode", path, mode));
        }
        return openWithMode(path, flags | O_CREAT, mode);
    }

    private static int openWithMode(Path path, int flags, int mode) {
        try {
            return C.open(cString(path), flags | O_CLOEXEC, mode);
        } catch (LastErrorException e) {
            throw failure("open", path, e);
        }
    }

    public static void close(int fd) {
        try {
            C.close(fd);
        } catch (LastErrorException e) {
            throw failure("close", "fd " + fd, e);
        }
    }

    /** One {@code pread} into {@code dst} at its position; advances it and returns the count (0 at end of file). */
    public static int pread(int fd, ByteBuffer dst, long offset) {
        return pread(fd, dst, offset, null);
    }

    static int pread(int fd, ByteBuffer dst, long offset, Object file) {
        if (!dst.isDirect()) {
            byte[] bytes = arrayOf(dst, false);
            long n = transfer("pread", (f, a, c, o) -> C.pread(f, bytes, c, o), fd, 0, dst.remaining(), offset, file);
            if (bytes != dst.array()) {
                dst.put(bytes, 0, (int) n);
                return (int) n;
            }
            return advance(dst, n);
        }
        return advance(dst, transfer("pread", C::pread, fd, address(dst), dst.remaining(), offset, file));
    }

    /** One {@code pread} of at most {@code count} bytes into native memory at {@code address}. */
    public static long pread(int fd, long address, long count, long offset) {
        return transfer("pread", C::pread, fd, address, count, offset, null);
    }

    /** Reads until {@code dst} is full or the file ends; returns the count read. */
    public static int readFully(int fd, ByteBuffer dst, long offset) {
        return readFully(fd, dst, offset, null);
    }

    static int readFully(int fd, ByteBuffer dst, long offset, Object file) {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = pread(fd, dst, offset + total, file);
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** One {@code pwrite} from {@code src} at its position; advances it and returns the count written. */
    public static int pwrite(int fd, ByteBuffer src, long offset) {
        return pwrite(fd, src, offset, null);
    }

    static int pwrite(int fd, ByteBuffer src, long offset, Object file) {
        if (!src.isDirect()) {
            byte[] bytes = arrayOf(src, true);
            return advance(src, transfer("pwrite", (f, a, c, o) -> C.pwrite(f, bytes, c, o), fd, 0, src.remaining(),
                    offset, file));
        }
        return advance(src, transfer("pwrite", C::pwrite, fd, address(src), src.remaining(), offset, file));
    }

    /** One {@code pwrite} of at most {@code count} bytes from native memory at {@code address}. */
    public static long pwrite(int fd, long address, long count, long offset) {
        return transfer("pwrite", C::pwrite, fd, address, count, offset, null);
    }

    /** Writes all of {@code src} at {@code offset}. */
    public static void writeFully(int fd, ByteBuffer src, long offset) {
        writeFully(fd, src, offset, null);
    }

    static void writeFully(int fd, ByteBuffer src, long offset, Object file) {
        long at = offset;
        while (src.hasRemaining()) {
            at += pwrite(fd, src, at, file);
        }
    }

    /** {@code pread} or {@code pwrite}. */
    private interface Transfer {
        long call(int fd, long address, long count, long offset) throws LastErrorException;
    }

    private static long transfer(String name, Transfer call, int fd, long address, long count, long offset,
            Object file) {
        try {
            return call.call(fd, address, count, offset);
        } catch (LastErrorException e) {
            throw failure(name, describe(fd, file), e);
        }
    }

    /**
     * The array to hand JNA for a heap buffer: the buffer's own when its remaining bytes start at index 0, else
     * a new one of {@code remaining()} bytes (holding a copy of them when {@code copyIn}).
     */
    private static byte[] arrayOf(ByteBuffer buffer, boolean copyIn) {
        if (buffer.hasArray() && buffer.arrayOffset() + buffer.position() == 0) {
            return buffer.array();
        }
        byte[] bytes = new byte[buffer.remaining()];
        if (copyIn) {
            buffer.duplicate().get(bytes);
        }
        return bytes;
    }

    private static int advance(ByteBuffer buffer, long n) {
        buffer.position(buffer.position() + (int) n);
        return (int) n;
    }

    /**
     * The file's type, size, inode, device, modification and status change times ({@code statx} with
     * {@code AT_EMPTY_PATH}).
     */
    public static FileStat fstat(int fd) {
        return fstat(fd, null);
    }

    static FileStat fstat(int fd, Object file) {
        byte[] raw = new byte[Statx.SIZE];
        try {
            C.statx(fd, EMPTY_PATH, Statx.AT_EMPTY_PATH, Statx.WANTED, raw);
        } catch (LastErrorException e) {
            throw failure("fstat", describe(fd, file), e);
        }
        FileStat stat = Statx.decode(raw);
        if (stat == null) {
            throw incomplete("fstat", describe(fd, file));
        }
        return stat;
    }

    /** Like {@link #fstat} but for a path, without following a final symbolic link ({@code lstat}). */
    public static FileStat lstat(Path path) {
        byte[] raw = new byte[Statx.SIZE];
        try {
            C.statx(Statx.AT_FDCWD, cString(path), Statx.AT_SYMLINK_NOFOLLOW, Statx.WANTED, raw);
        } catch (LastErrorException e) {
            throw failure("lstat", path, e);
        }
        FileStat stat = Statx.decode(raw);
        if (stat == null) {
            throw incomplete("lstat", path);
        }
        return stat;
    }

    private static PosixException incomplete(String call, Object file) {
        return new PosixException(call, String.valueOf(file), Errno.EINVAL,
                "the file system did not report type, mode, inode, size, mtime and ctime");
    }

    public static void fsync(int fd) {
        fsync(fd, null);
    }

    static void fsync(int fd, Object file) {
        try {
            C.fsync(fd);
        } catch (LastErrorException e) {
            throw failure("fsync", describe(fd, file), e);
        }
    }

    /** Renames {@code from} to {@code to}, atomically replacing {@code to} when it exists ({@code rename(2)}). */
    public static void rename(Path from, Path to) {
        try {
            C.rename(cString(from), cString(to));
        } catch (LastErrorException e) {
            throw failure("rename", from + " -> " + to, e);
        }
    }

    /**
     * Takes a {@code flock} on the open file ({@code exclusive} or shared) unless someone holds a conflicting one;
     * false if someone does. The lock lives with the open file description: until its last descriptor is closed.
     */
    static boolean tryLock(int fd, boolean exclusive, Object file) {
        int operation = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
        try {
            C.flock(fd, operation);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN) { // EWOULDBLOCK
                return false;
            }
            throw failure(exclusive ? "flock(LOCK_EX|LOCK_NB)" : "flock(LOCK_SH|LOCK_NB)", describe(fd, file), e);
        }
    }

    /** Makes the directory's entries (files created, renamed or removed in it) durable. */
    public static void fsyncDirectory(Path dir) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        try {
            fsync(fd, dir);
        } finally {
            close(fd);
        }
    }

    private static long address(ByteBuffer buffer) {
        // In bounds: callers pass at most remaining() bytes from position(), inside the buffer's capacity.
        return Pointer.nativeValue(Native.getDirectBufferPointer(buffer)) + buffer.position();
    }

    private static String describe(int fd, Object file) {
        return file == null ? "fd " + fd : file.toString();
    }

    private static PosixException failure(String call, Object file, LastErrorException e) {
        return new PosixException(call, String.valueOf(file), e.getErrorCode(), strerror(e));
    }

    /** JNA's message is "[errno] text"; keep the text. */
    private static String strerror(LastErrorException e) {
        String message = e.getMessage();
        int end = message == null ? -1 : message.indexOf(']');
        return end < 0 ? String.valueOf(message) : message.substring(end + 1).trim();
    }
}
