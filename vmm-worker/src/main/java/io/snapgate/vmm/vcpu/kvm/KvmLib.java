package io.snapgate.vmm.vcpu.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls the KVM backend needs, through JNA direct mapping: file descriptors, {@code ioctl} on /dev/kvm
 * and its VM and vCPU descriptors, and the thread and signal calls of the cancel signal ({@link KickSignal}).
 * Pointers are plain {@code long}s. {@code ioctl} is variadic in C; glibc's x86-64 version is a system call
 * wrapper that reads its third argument from the integer register it arrives in, so a fixed
 * {@code (int, long, long)} signature calls it correctly. Every wrapper throws {@link KvmException} naming the
 * call and errno.
 */
final class KvmLib {
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int SIG_BLOCK = 0;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private KvmLib() {
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native int ioctl(int fd, long request, long argument) throws LastErrorException;

    private static native int getpid();

    private static native int gettid();

    private static native int tgkill(int tgid, int tid, int signal) throws LastErrorException;

    private static native int pthread_sigmask(int how, long set, long oldSet);

    private static native int sigtimedwait(long set, long info, long timeout) throws LastErrorException;

    private static native int __libc_current_sigrtmin();

    /** Opens {@code path} read-write, without O_CREAT: a missing device is an error, never a new file. */
    static int openReadWrite(String path) {
        try {
            return open(path, O_RDWR | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new KvmException("open(" + path + ")", e.getErrorCode());
        }
    }

    static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // nothing to do: the descriptor is gone either way (close(2) never leaves it open on Linux)
        }
    }

    /** An ioctl whose result is its return value; {@code what} names it in the error. */
    static int ioctl(int fd, int request, long argument, String what) {
        try {
            return ioctl(fd, Integer.toUnsignedLong(request), argument);
        } catch (LastErrorException e) {
            throw new KvmException(what, e.getErrorCode());
        }
    }

    /** KVM_RUN: 0 when the vCPU exited (see kvm_run), or the errno that interrupted it (EINTR, EAGAIN...). */
    static int run(int vcpuFd) {
        try {
            ioctl(vcpuFd, Integer.toUnsignedLong(KvmConstants.KVM_RUN), 0L);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    static int processId() {
        return getpid();
    }

    static int threadId() {
        return gettid();
    }

    static void signalThread(int pid, int tid, int signal) {
        try {
            tgkill(pid, tid, signal);
        } catch (LastErrorException e) {
            throw new KvmException("tgkill(" + tid + ", " + signal + ")", e.getErrorCode());
        }
    }

    /** Adds the signals of {@code set} to the calling thread's mask; writes the previous mask into {@code old}. */
    static void blockSignals(long set, long old) {
        int err = pthread_sigmask(SIG_BLOCK, set, old);
        if (err != 0) {
            throw new KvmException("pthread_sigmask(SIG_BLOCK)", err);
        }
    }

    /** Takes one pending signal of {@code set} without waiting (zero timeout); false when none is pending. */
    static boolean takePendingSignal(long set, long zeroTimeout) {
        try {
            sigtimedwait(set, 0L, zeroTimeout);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                return false;
            }
            throw new KvmException("sigtimedwait", e.getErrorCode());
        }
    }

    static int firstRealTimeSignal() {
        return __libc_current_sigrtmin();
    }
}
