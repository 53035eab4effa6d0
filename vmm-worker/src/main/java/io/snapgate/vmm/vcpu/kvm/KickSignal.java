package io.snapgate.vmm.vcpu.kvm;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The signal that kicks a vCPU thread out of {@code KVM_RUN}: {@code SIGRTMIN + 6} (40 with glibc). It never
 * runs a handler, so no Java or native code ever executes in signal context:
 * <ul>
 * <li>every thread that runs a vCPU blocks it once, before its first {@code KVM_RUN};
 * <li>{@code KVM_SET_SIGNAL_MASK} unblocks it only while that thread is inside {@code KVM_RUN}: a kick there
 *     makes the ioctl return EINTR, and the kernel blocks it again before going back to user space, where it
 *     stays pending (never delivered) until {@link #drain()} takes it with {@code sigtimedwait};
 * <li>a kick is only sent to a thread between "about to enter KVM_RUN" and "back from it" (see
 *     {@code KvmVcpu}), so the target thread exists and blocks the signal; its default action (terminate the
 *     process) can never happen.
 * </ul>
 * Why this number: glibc keeps 32 and 33 for itself (SIGRTMIN is 34 after them); HotSpot uses SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGUSR2 (thread suspend), SIGQUIT, SIGHUP, SIGINT, SIGTERM and no real-time signal; the JDK's
 * NIO interrupts blocked I/O threads with SIGRTMAX - 2 (62). A library in the same process that picked
 * SIGRTMIN + 6 too would see a stray signal only on the vCPU threads, where it is blocked and drained.
 */
final class KickSignal {
    static final int NUMBER = KvmLib.firstRealTimeSignal() + 6;
    private static final int PID = KvmLib.processId();

    /** glibc's sigset_t is 1024 bits; the kernel reads only the first 64. */
    private static final int SIGSET_SIZE = 128;
    /** The kernel's sigset_t on x86-64 (_NSIG = 64): what KVM_SET_SIGNAL_MASK takes. */
    private static final int KERNEL_SIGSET_SIZE = 8;
    private static final int TIMESPEC_SIZE = 16;

    /** Per thread: its native id, once the kick signal is blocked in it. */
    private static final ThreadLocal<Integer> THREAD = ThreadLocal.withInitial(KickSignal::blockInThisThread);

    private KickSignal() {
    }

    /** A sigset holding only the kick signal. */
    private static Memory set() {
        Memory set = new Memory(SIGSET_SIZE);
        set.clear();
        set.setByte((NUMBER - 1) / 8, (byte) (1 << ((NUMBER - 1) % 8)));
        return set;
    }

    /** The calling thread's native id; blocks the kick signal in it the first time. */
    static int thisThread() {
        return THREAD.get();
    }

    private static int blockInThisThread() {
        try (Memory set = set(); Memory old = new Memory(SIGSET_SIZE)) {
            KvmLib.blockSignals(nativeAddress(set), nativeAddress(old));
        }
        return KvmLib.threadId();
    }

    /**
     * The {@code struct kvm_signal_mask} for {@code KVM_SET_SIGNAL_MASK}: the calling thread's mask (which blocks
     * the kick signal: call {@link #thisThread()} first) without the kick signal.
     */
    static Memory runMask() {
        try (Memory none = new Memory(SIGSET_SIZE); Memory current = new Memory(SIGSET_SIZE)) {
            none.clear();
            KvmLib.blockSignals(nativeAddress(none), nativeAddress(current)); // adds nothing, reads the mask
            Memory mask = new Memory(KvmConstants.SIGNAL_MASK_SIGSET + KERNEL_SIGSET_SIZE);
            mask.setInt(0, KERNEL_SIGSET_SIZE);
            long bits = current.getLong(0) & ~(1L << (NUMBER - 1));
            mask.setLong(KvmConstants.SIGNAL_MASK_SIGSET, bits);
            return mask;
        }
    }

    /** Sends the kick to thread {@code tid} of this process. */
    static void kick(int tid) {
        KvmLib.signalThread(PID, tid, NUMBER);
    }

    /** Takes every kick pending on the calling thread, so none cuts the next KVM_RUN short. */
    static void drain() {
        try (Memory set = set(); Memory zero = new Memory(TIMESPEC_SIZE)) {
            zero.clear();
            boolean taken;
            do { // real-time signals queue: one instance per kick
                taken = KvmLib.takePendingSignal(nativeAddress(set), nativeAddress(zero));
            } while (taken);
        }
    }

    private static long nativeAddress(Memory memory) {
        return Pointer.nativeValue(memory);
    }
}
