package io.snapgate.vmm.vcpu;

/**
 * What became of one run of a {@link RunQueue}: its exit, how long it ran, whether the vCPU went on past it
 * (applying the writes queued after it), and how to make its carried output what reads of the guest memory see.
 */
public final class QueuedRun {
    private final VmExit exit;
    private final long runNanos;
    private final boolean wentOn;
    private final Runnable present;

    public QueuedRun(VmExit exit, long runNanos, boolean wentOn, Runnable present) {
        this.exit = exit;
        this.runNanos = runNanos;
        this.wentOn = wentOn;
        this.present = present;
    }

    public VmExit exit() {
        return exit;
    }

    public long runNanos() {
        return runNanos;
    }

    /**
     * Whether the vCPU went on past this run: it exited as a call ends, its output came back whole, and the writes
     * queued after it were applied (for a call, its sandbox's reset). False for the run that ended the turn.
     */
    public boolean wentOn() {
        return wentOn;
    }

    /** Before reading this run's output: reads of the guest memory see what the run left in its output buffer. */
    public void present() {
        present.run();
    }
}
