package io.snapgate.vmm.vcpu;

/**
 * What became of one run of a {@link RunQueue}: its exit, how long it ran, whether the vCPU went on past it
 * ({@code wentOn}: it exited as a call ends, its output came back whole, and the writes queued after it were applied,
 * for a call its sandbox's reset; false for the run that ended the turn), and what makes its carried output what
 * reads of the guest memory see ({@link #present()}).
 */
public record QueuedRun(VmExit exit, long runNanos, boolean wentOn, Runnable presenter) {
    /** Before reading this run's output: reads of the guest memory see what the run left in its output buffer. */
    public void present() {
        presenter.run();
    }
}
