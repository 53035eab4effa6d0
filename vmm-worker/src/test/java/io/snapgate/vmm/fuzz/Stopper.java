package io.snapgate.vmm.fuzz;

import io.snapgate.vmm.vcpu.Vcpu;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops a program's run at its deadline from another thread, as a sandbox's watchdog does: the request is repeated
 * every millisecond until the run is over (one that lands just before the run starts is lost), and never reaches
 * a vCPU once {@link #done()} was called.
 */
final class Stopper implements AutoCloseable {
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Thread thread;
    private Vcpu vcpu;
    private long deadline;
    private boolean expired;
    private boolean closed;

    Stopper() {
        thread = new Thread(this::loop, "fuzz-stopper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches {@code runner}'s run from now until {@link #done()}. */
    synchronized void watch(Vcpu runner, Duration limit) {
        vcpu = runner;
        deadline = System.nanoTime() + limit.toNanos();
        expired = false;
        notifyAll();
    }

    /** Whether the run being watched has passed its deadline. */
    synchronized boolean expired() {
        return expired;
    }

    synchronized void done() {
        vcpu = null;
    }

    private synchronized void loop() {
        try {
            while (!closed) {
                if (vcpu == null) {
                    wait();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } else {
                    expired = true;
                    vcpu.requestStop();
                    TimeUnit.NANOSECONDS.timedWait(this, RETRY_NANOS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
