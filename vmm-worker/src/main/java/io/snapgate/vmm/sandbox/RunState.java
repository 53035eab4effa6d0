package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.vcpu.Vcpu;

/**
 * What the watchdog and cancel handles know about a sandbox's running call. Written by the vCPU thread
 * ({@link #begin}, {@link #end}) and by stoppers ({@link #stop}); a call is named by its sequence number.
 * {@link #stop} and {@link #end} exclude each other, so a stop meant for one call never reaches the vCPU
 * while another runs: every stop the vCPU sees was asked for the call in progress.
 */
final class RunState {
    /** The vCPU running the call; guarded by {@code this}. */
    private Vcpu vcpu;
    private long sequence;
    /** The running call's sequence number; 0 when idle. */
    volatile long running;
    /** System.nanoTime() at which the running call times out; Long.MAX_VALUE for never. */
    volatile long deadline = Long.MAX_VALUE;
    /** The call that was asked to stop, and why (reason written before the call number). */
    private volatile Failure stopReason;
    private volatile long stopped;

    /** On the vCPU thread: a call starts on {@code runner}. Returns its sequence number. */
    synchronized long begin(Vcpu runner, long deadlineNanos) {
        vcpu = runner;
        long call = ++sequence;
        deadline = deadlineNanos;
        running = call;
        return call;
    }

    /** On the vCPU thread: the call is over; stoppers leave it alone from now on. */
    synchronized void end() {
        vcpu = null;
        running = 0;
        deadline = Long.MAX_VALUE;
    }

    /** Asks {@code call} to stop for {@code reason}; true when it was still running. Any thread. */
    synchronized boolean stop(long call, Failure reason) {
        if (call == 0 || running != call) {
            return false;
        }
        if (stopped != call) {
            stopReason = reason;
            stopped = call;
        }
        vcpu.requestStop();
        return true;
    }

    /** On the vCPU thread: why {@code call} must stop, or null to go on. */
    Failure stopRequested(long call) {
        return stopped == call ? stopReason : null;
    }
}
