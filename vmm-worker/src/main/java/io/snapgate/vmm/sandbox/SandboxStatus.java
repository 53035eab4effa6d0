package io.snapgate.vmm.sandbox;

/** Whether a sandbox takes calls. */
public enum SandboxStatus {
    /** Takes calls. */
    READY,
    /** A call failed in a way that leaves the guest unknown; calls are refused until a restore succeeds. */
    POISONED,
    /** Closed: its memory is unmapped and its vCPU released. */
    CLOSED
}
