package io.snapgate.vmm.vcpu;

import java.util.List;

/**
 * A vCPU that takes several runs in one go: each run queued after the guest memory writes (and resets) made since
 * the one before it, all sent together, so that a turn of short calls costs one hand-over to wherever the vCPU
 * runs instead of one per call (an emulator process). The vCPU goes from one run to the next only after a run that
 * ended as the caller says a call ends, its output carried back whole; any other exit ends the turn there, with the
 * memory as that run left it and the later runs not started.
 */
public interface RunQueue {
    /** Whether runs queued here and on {@code other} go in one turn (their vCPUs share a process). */
    boolean sharesQueueWith(RunQueue other);

    /**
     * Whether {@code writeBytes} more bytes of guest memory writes, one run and a reset with a seed write after it
     * fit the queue; nothing may be queued that does not.
     */
    boolean fits(int writeBytes);

    /**
     * Queues a run from {@code rip}, after the memory writes and resets made since the last queued run; the turn
     * goes on past it only when it exits to {@code donePort} (as a call ends) with its output carried whole.
     */
    void queue(long rip, int donePort);

    /**
     * Runs the queued runs in turn and returns what became of those that started, in order. A run's successor
     * starts only after the vCPU went on past it ({@link QueuedRun#wentOn()}), which it does not once
     * {@code until} ({@link System#nanoTime()}) has come. A stop requested meanwhile stops the run in progress.
     */
    List<QueuedRun> runQueued(long until);
}
