package io.snapgate.vmm.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The memory calls the VMM needs (mmap, madvise, memfd, userfaultfd, huge pages off), and the few for the threads
 * and processes that run guests (futex, process_vm_readv/writev, CPU affinity), through JNA direct mapping (the
 * fastest JNA binding). File calls live in the store's {@code io.snapgate.store.fs.Posix}. Every wrapper throws
 * {@link SystemCallException} naming the failed call; addresses are plain {@code long}s, so callers never hold
 * a JNA Pointer they could outlive.
 */
public final class Libc {
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;

    private static final int MADV_DONTNEED = 4;
    private static final int PR_SET_THP_DISABLE = 41;
    private static final int MFD_CLOEXEC = 1;

    static final int ENOMEM = 12;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    private static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    private static native int munmap(long addr, long length) throws LastErrorException;

    private static native int madvise(long addr, long length, int advice) throws LastErrorException;

    private static native int prctl(int option, long a2, long a3, long a4, long a5) throws LastErrorException;

    private static native int memfd_create(String name, int flags) throws LastErrorException;

    private static native int ftruncate(int fd, long length) throws LastErrorException;

    private static native long memcpy(long destination, long source, long count);

    // Variadic in C; glibc's x86-64 versions are system call wrappers that read their integer arguments from
    // the registers they arrive in, so fixed signatures bind them correctly.
    private static native long syscall(long number, long argument) throws LastErrorException;

    private static native int ioctl(int fd, long request, long argument) throws LastErrorException;

    private static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    private static native long process_vm_readv(int pid, long localIov, long localCount, long remoteIov,
            long remoteCount, long flags) throws LastErrorException;

    private static native long process_vm_writev(int pid, long localIov, long localCount, long remoteIov,
            long remoteCount, long flags) throws LastErrorException;

    private static native int sched_getaffinity(int tid, long size, long[] mask) throws LastErrorException;

    private static native int sched_setaffinity(int tid, long size, long[] mask) throws LastErrorException;

    private static final long SYS_FUTEX = 202;
    /** A cpu_set_t: 1024 CPUs, as glibc has it. */
    private static final int CPU_SET_LONGS = 16;
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;

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

    /**
     * Turns transparent huge pages off for this whole process, for mappings it has and makes later, whatever they
     * ask with madvise(MADV_HUGEPAGE). Huge pages are only a hint to the kernel: memory reads and writes the same.
     */
    public static void disableTransparentHugePages() {
        try {
            prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
        } catch (LastErrorException e) {
            throw new SystemCallException("prctl(PR_SET_THP_DISABLE)", e.getErrorCode());
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

    /** A system call with one argument, by number (for calls glibc has no wrapper for); returns its result. */
    public static long syscall1(long number, long argument, String name) {
        try {
            return syscall(number, argument);
        } catch (LastErrorException e) {
            throw new SystemCallException(name, e.getErrorCode());
        }
    }

    /** An ioctl whose argument is the address of a structure the caller owns. */
    public static int ioctl(int fd, long request, long argument, String name) {
        try {
            return ioctl(fd, request, argument);
        } catch (LastErrorException e) {
            throw new SystemCallException(name, e.getErrorCode());
        }
    }

    /**
     * Sleeps while the int at {@code address} (in memory shared with another process, hence a shared futex) still
     * holds {@code expected}, at most {@code timespec}'s time (the address of a struct timespec). Returns at once
     * when the value differs; wake-ups, signals and time-outs all just return: callers check the value again.
     */
    public static void futexWait(long address, int expected, long timespec) {
        syscall(SYS_FUTEX, address, FUTEX_WAIT, expected, timespec, 0, 0);
    }

    /** Wakes the threads of any process sleeping in {@link #futexWait} on {@code address}. */
    public static void futexWake(long address) {
        syscall(SYS_FUTEX, address, FUTEX_WAKE, Integer.MAX_VALUE, 0, 0, 0);
    }

    /**
     * Copies between this process and process {@code pid} (a child of ours) in one system call each way:
     * {@code iovecs} holds two struct iovec, the local one first. Returns the bytes copied.
     */
    public static long processVmRead(int pid, long iovecs) {
        try {
            return process_vm_readv(pid, iovecs, 1, iovecs + 16, 1, 0);
        } catch (LastErrorException e) {
            throw new SystemCallException("process_vm_readv(pid " + pid + ")", e.getErrorCode());
        }
    }

    public static long processVmWrite(int pid, long iovecs) {
        try {
            return process_vm_writev(pid, iovecs, 1, iovecs + 16, 1, 0);
        } catch (LastErrorException e) {
            throw new SystemCallException("process_vm_writev(pid " + pid + ")", e.getErrorCode());
        }
    }

    /** The CPUs thread {@code tid} may run on (0: the calling thread), as bits of CPU numbers. */
    public static long[] cpuAffinity(int tid) {
        long[] mask = new long[CPU_SET_LONGS];
        try {
            sched_getaffinity(tid, mask.length * 8L, mask);
        } catch (LastErrorException e) {
            throw new SystemCallException("sched_getaffinity(" + tid + ")", e.getErrorCode());
        }
        return mask;
    }

    /** Lets thread {@code tid} (0: the calling thread) run only on the CPUs whose bits {@code mask} sets. */
    public static void setCpuAffinity(int tid, long[] mask) {
        try {
            sched_setaffinity(tid, Math.min(mask.length, CPU_SET_LONGS) * 8L, mask);
        } catch (LastErrorException e) {
            throw new SystemCallException("sched_setaffinity(" + tid + ")", e.getErrorCode());
        }
    }

    /** Copies {@code count} bytes between native addresses the caller has checked. */
    public static void copy(long destination, long source, long count) {
        memcpy(destination, source, count);
    }
}
