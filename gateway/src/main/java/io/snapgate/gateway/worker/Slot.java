package io.snapgate.gateway.worker;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.memory.Reservation;
import io.snapgate.vmm.sandbox.CancelHandle;
import io.snapgate.vmm.sandbox.Sandbox;
import java.time.Duration;

/**
 * One sandbox a worker keeps mapped, with what the worker needs to know about it and the memory it reserved.
 * Confined to the worker.
 */
final class Slot {
    final String digest;
    final Sandbox sandbox;
    final CancelHandle cancel;
    private final Reservation reservation;
    /** What the in-memory copy a session's save leaves it reserves; null until its first save. */
    Reservation savedCopy;
    long lastUsedNanos = System.nanoTime();
    /** Whether the sandbox may hold a vCPU (it took one on its last call and has not released it since). */
    boolean holdsVcpu;

    Slot(String digest, Sandbox sandbox, Reservation reservation) {
        this.digest = digest;
        this.sandbox = sandbox;
        this.reservation = reservation;
        this.cancel = sandbox.cancelHandle();
    }

    /** Calls the function with the time left before {@code deadline} ({@link System#nanoTime()}). */
    GuestReturn call(String function, Object[] args, long deadline) {
        long start = System.nanoTime();
        long left = deadline - start;
        if (left <= 0) {
            throw new GatewayException(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed before the call started");
        }
        lastUsedNanos = start;
        holdsVcpu = true;
        Object value = sandbox.call(Duration.ofNanos(left), function, args);
        return new GuestReturn(value, (System.nanoTime() - start) / 1000);
    }

    /** The sandbox, for a call in a turn ({@link WorkerState#callEach}): it holds a vCPU afterwards. */
    Sandbox use() {
        lastUsedNanos = System.nanoTime();
        holdsVcpu = true;
        return sandbox;
    }

    /** Warms the sandbox up ({@link Sandbox#warmUp}); it holds a vCPU afterwards, as after a call. */
    void warmUp(Duration timeout) {
        lastUsedNanos = System.nanoTime();
        holdsVcpu = true;
        sandbox.warmUp(timeout);
    }

    /** Gives the vCPU back when the slot has been idle longer than {@code idleNanos}; says whether it did. */
    boolean releaseVcpuIfIdle(long now, long idleNanos) {
        if (holdsVcpu && now - lastUsedNanos > idleNanos) {
            releaseVcpu();
            return true;
        }
        return false;
    }

    /** Gives the vCPU back now; the next call takes one again. */
    void releaseVcpu() {
        sandbox.releaseVcpu();
        holdsVcpu = false;
    }

    /** The bytes its sandbox reserved when it was made (a session's saved copy not included). */
    long reservedBytes() {
        return reservation.bytes();
    }

    /** Closes the sandbox and gives back the memory it reserved. */
    void close() {
        try {
            sandbox.close();
        } finally {
            reservation.close();
            if (savedCopy != null) {
                savedCopy.close();
            }
        }
    }
}
