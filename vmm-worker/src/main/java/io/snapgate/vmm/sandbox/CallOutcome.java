package io.snapgate.vmm.sandbox;

/**
 * What became of one call of {@link Sandbox#callEach}: the function's value, or the failure a single call would
 * have thrown (null when it returned), and how long it ran on the vCPU.
 */
public record CallOutcome(Object value, RuntimeException failure, long runNanos) {
}
