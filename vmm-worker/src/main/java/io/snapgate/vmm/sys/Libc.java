package io.snapgate.vmm.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the VMM needs, through JNA direct mapping (the fastest JNA binding).
 * Every wrapper throws {@link SystemCallException} naming the failed call; addresses are
 * plain {@code long}s, so callers never hold a JNA Pointer they could outlive.
 */
public final class Libc {
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;

    public static final int MADV_DONTNEED = 4;

    public static final int MFD_CLOEXEC = 1;

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;

    public static final int ENOENT = 2;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ELOOP = 40;

    public static final long PAGE_SIZE = 4096;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    private static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    private static native int munmap(long addr, long length) throws LastErrorException;

    private static native int madvise(long addr, long length, int advice) throws LastErrorException;

    private static native int mprotect(long addr, long length, int prot) throws LastErrorException;

    private static native int memfd_create(String name, int flags) throws LastErrorException;

    private static native int ftruncate(int fd, long length) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native long pread(int fd, long buf, long count, long offset) throws LastErrorException;

    private static native long pwrite(int fd, long buf, long count, long offset) throws LastErrorException;

    private static native int open(String path, int flags) throws LastErrorException;

    private static native long memcpy(long destination, long source, long count);

    /** Maps {@code length} bytes; returns the address. */
    public static long map(long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return mmap(addr, length, prot, flags, fd, offset);
        } catch (LastErrorException e) {
            throw new SystemCallException("mmap(length=" + length + ", fd=" + fd + ")", e.getErrorCode());
        }
    }

    public static void unmap(long addr, long length) {
        try {
            munmap(addr, length);
        } catch (LastErrorException e) {
            throw new SystemCallException("munmap(length=" + length + ")", e.getErrorCode());
        }
    }

    public static void adviseDontNeed(long addr, long length) {
        try {
            madvise(addr, length, MADV_DONTNEED);
        } catch (LastErrorException e) {
            throw new SystemCallException("madvise(MADV_DONTNEED, length=" + length + ")", e.getErrorCode());
        }
    }

    public static void protect(long addr, long length, int prot) {
        try {
            mprotect(addr, length, prot);
        } catch (LastErrorException e) {
            throw new SystemCallException("mprotect(length=" + length + ")", e.getErrorCode());
        }
    }

    /** An anonymous in-memory file (memfd), closed on exec. */
    public static int memfdCreate(String name) {
        try {
            return memfd_create(name, MFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SystemCallException("memfd_create(" + name + ")", e.getErrorCode());
        }
    }

    public static void truncate(int fd, long length) {
        try {
            ftruncate(fd, length);
        } catch (LastErrorException e) {
            throw new SystemCallException("ftruncate(length=" + length + ")", e.getErrorCode());
        }
    }

    public static void closeFd(int fd) {
        try {
            close(fd);
        } catch (LastErrorException e) {
            throw new SystemCallException("close(fd=" + fd + ")", e.getErrorCode());
        }
    }

    /** Reads exactly {@code count} bytes at {@code offset} into native memory at {@code buf}. */
    public static void readFully(int fd, long buf, long count, long offset) {
        long done = 0;
        while (done < count) {
            long n;
            try {
                n = pread(fd, buf + done, count - done, offset + done);
            } catch (LastErrorException e) {
                throw new SystemCallException("pread(fd=" + fd + ", offset=" + (offset + done) + ")", e.getErrorCode());
            }
            if (n == 0) {
                throw new SystemCallException("pread(fd=" + fd + "): unexpected end of file at " + (offset + done), 0);
            }
            done += n;
        }
    }

    /** Writes exactly {@code count} bytes from native memory at {@code buf} to {@code offset}. */
    public static void writeFully(int fd, long buf, long count, long offset) {
        long done = 0;
        while (done < count) {
            try {
                done += pwrite(fd, buf + done, count - done, offset + done);
            } catch (LastErrorException e) {
                throw new SystemCallException("pwrite(fd=" + fd + ", offset=" + (offset + done) + ")", e.getErrorCode());
            }
        }
    }

    /** Copies {@code count} bytes between native addresses the caller has checked. */
    public static void copy(long destination, long source, long count) {
        memcpy(destination, source, count);
    }

    /** Opens without O_CREAT (never creates a file as a side effect). */
    public static int openFile(String path, int flags) {
        try {
            return open(path, flags | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SystemCallException("open(" + path + ")", e.getErrorCode());
        }
    }
}
