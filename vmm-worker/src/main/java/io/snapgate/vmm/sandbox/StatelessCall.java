package io.snapgate.vmm.sandbox;

/**
 * One call of {@link Sandbox#callEach}: a guest function, its arguments, and when it must be over
 * ({@link System#nanoTime()}; {@link Long#MAX_VALUE} for never).
 */
public record StatelessCall(String function, Object[] args, long deadline) {
}
