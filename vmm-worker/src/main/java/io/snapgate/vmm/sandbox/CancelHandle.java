package io.snapgate.vmm.sandbox;

/**
 * Stops a sandbox's running call from another thread. The call then fails with {@link Failure#CANCELLED}
 * and the sandbox is poisoned until restored. A host function that is running finishes first; the guest
 * never resumes after it.
 */
public final class CancelHandle {
    private final RunState state;

    CancelHandle(RunState state) {
        this.state = state;
    }

    /**
     * Cancels the call running now, if any. Returns true when a call was running and will stop (within
     * about a millisecond of guest time); false when the sandbox was idle, in which case nothing happens and
     * the next call runs normally. Does not wait for the call to stop.
     */
    public boolean cancel() {
        long call = state.running;
        if (!state.stop(call, Failure.CANCELLED)) {
            return false;
        }
        Watchdog.INSTANCE.repeatStop(state, call);
        return true;
    }
}
