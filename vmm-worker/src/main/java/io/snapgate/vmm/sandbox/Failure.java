package io.snapgate.vmm.sandbox;

/** Why a sandbox operation failed. {@link #poisons()} says whether the sandbox needs a restore before its next call. */
public enum Failure {
    /** The guest function returned an error (code and message). */
    GUEST_ERROR,
    /** The guest aborted (code and message). */
    GUEST_ABORT,
    /** The guest touched memory it may not: unmapped, a guard page, or a write to code. */
    MEMORY_ACCESS_VIOLATION,
    INVALID_INSTRUCTION,
    /** A CPU exception such as a divide error or general protection fault. */
    CPU_EXCEPTION,
    /** The guest put the vCPU in a state the CPU or hypervisor cannot run (see {@code VmExit.UnrunnableState}). */
    UNRUNNABLE_STATE,
    /** Stopped through a {@link CancelHandle}. */
    CANCELLED,
    /** Ran past its time limit. */
    TIMED_OUT,
    /** Went past a {@link GuestLimits} limit that stops the call (host calls). */
    LIMIT_EXCEEDED,
    UNKNOWN_FUNCTION,
    WRONG_ARGUMENT_COUNT,
    ARGUMENT_TYPE_MISMATCH,
    /** The call's arguments do not fit the input buffer. */
    ARGUMENT_TOO_LARGE,
    /** The guest wrote a frame that breaks the ABI. */
    MALFORMED_FRAME,
    /** The guest left through a port the ABI does not define. */
    UNKNOWN_PORT,
    /** A call on a sandbox that a failed call poisoned; restore it first. */
    POISONED,
    /** A snapshot whose layout or host functions do not fit this sandbox. */
    INCOMPATIBLE_SNAPSHOT,
    /** The guest program cannot be loaded or its init did not complete. */
    INVALID_GUEST,
    /**
     * The process that ran the sandbox died running the guest's code (an emulator crash) or hung past a stop:
     * the sandbox's memory went with it, so it can never be called or restored again.
     */
    SANDBOX_LOST,
    /** The vCPU backend itself failed. */
    BACKEND_FAILURE,
    /** The sandbox is closed. */
    CLOSED;

    /**
     * Whether this failure leaves the guest in an unknown state, so calls are refused until a restore.
     * No default branch on purpose: a new constant does not compile until it is classified here.
     */
    public boolean poisons() {
        return switch (this) {
            case GUEST_ERROR, UNKNOWN_FUNCTION, WRONG_ARGUMENT_COUNT, ARGUMENT_TYPE_MISMATCH, ARGUMENT_TOO_LARGE,
                    POISONED, INCOMPATIBLE_SNAPSHOT, INVALID_GUEST, CLOSED -> false;
            case GUEST_ABORT, MEMORY_ACCESS_VIOLATION, INVALID_INSTRUCTION, CPU_EXCEPTION, UNRUNNABLE_STATE, CANCELLED,
                    TIMED_OUT, LIMIT_EXCEEDED, MALFORMED_FRAME, UNKNOWN_PORT, SANDBOX_LOST, BACKEND_FAILURE -> true;
        };
    }
}
