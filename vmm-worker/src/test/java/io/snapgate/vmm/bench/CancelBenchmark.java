package io.snapgate.vmm.bench;

import io.snapgate.vmm.sandbox.CancelHandle;
import io.snapgate.vmm.sandbox.Failure;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.SandboxException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cancellation latency of a spinning guest (Hyperlight's interrupt latency). A dedicated platform thread owns
 * the sandbox and loops: restore, call {@code spin} (an endless loop), note when the call fails. Before each
 * op ({@link Level#Invocation} setup, not timed) the benchmark thread waits until the vCPU thread has used
 * {@link #SETTLE_NANOS} of CPU time since it started a new {@code spin} call: the call's own Java work before
 * the guest runs takes a few microseconds, so the guest is executing (wall time is not enough: on 2 cores the
 * vCPU thread is sometimes descheduled for milliseconds before it enters the guest). The op is {@code cancel()}
 * followed by a busy wait until the vCPU thread reports the failure: its time is the latency from asking to
 * stop until the call has failed on the vCPU thread and that thread has said so. {@code cancel()} returning
 * false means the call had not begun after all (CPU time on this VM includes time the host took away); the op
 * then retries it, and the fork counts such ops.
 *
 * <p>The fork also prints its own histogram of the latency from the {@code cancel()} that returned true being
 * called until the vCPU thread caught the failure (both System.nanoTime()): the stop usually lands while
 * {@code cancel()} is still registering the call with the watchdog.
 */
public class CancelBenchmark extends SampledBenchmark {
    static final long SETTLE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Thread vcpuThread;
    private CancelHandle handle;
    private volatile boolean stopping;

    /** Number of the spin call running now (set just before it starts), and the vCPU thread's CPU time then. */
    private volatile long callNumber;
    private volatile long callStartCpuNanos;
    /** Number of the last spin call that failed, and when the vCPU thread caught the failure. */
    private volatile long failedNumber;
    private volatile long failedAtNanos;
    private final AtomicReference<Throwable> vcpuError = new AtomicReference<>();

    private long expected;
    private final long[] latencies = new long[1 << 16];
    private int recorded;
    private long ops;
    private long retriedOps;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<CancelHandle> handleRef = new AtomicReference<>();
        vcpuThread = new Thread(() -> vcpuLoop(ready, handleRef), "bench-vcpu");
        vcpuThread.setDaemon(true);
        vcpuThread.start();
        // Minutes, not seconds: building the first sandbox in a cold JVM inside run-with-kvm's QEMU takes over 30 s.
        if (!ready.await(3, TimeUnit.MINUTES) || handleRef.get() == null) {
            throw new IllegalStateException("the vCPU thread did not start", vcpuError.get());
        }
        handle = handleRef.get();
    }

    private void vcpuLoop(CountDownLatch ready, AtomicReference<CancelHandle> handleRef) {
        try (Sandbox sandbox = BenchSandboxes.testguest(SandboxConfig.DEFAULT)) {
            handleRef.set(sandbox.cancelHandle());
            ready.countDown();
            long n = 0;
            while (!stopping) {
                sandbox.restore(); // the cancelled call poisoned the sandbox
                callStartCpuNanos = THREADS.getCurrentThreadCpuTime();
                callNumber = ++n;
                try {
                    sandbox.call("spin");
                    throw new IllegalStateException("spin returned");
                } catch (SandboxException e) {
                    long now = System.nanoTime();
                    if (e.failure() != Failure.CANCELLED) {
                        throw e;
                    }
                    failedAtNanos = now;
                    failedNumber = n;
                }
            }
        } catch (Throwable t) {
            vcpuError.set(t);
        } finally {
            ready.countDown();
        }
    }

    /** Untimed: waits until the vCPU thread has spent SETTLE_NANOS of CPU time in a new spin call. */
    @Setup(Level.Invocation)
    public void awaitSpinning() {
        while (true) {
            checkVcpu();
            long call = callNumber;
            if (call > failedNumber
                    && THREADS.getThreadCpuTime(vcpuThread.getId()) - callStartCpuNanos >= SETTLE_NANOS
                    && call == callNumber) {
                expected = call;
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public long cancelSpinningGuest() {
        long asked = System.nanoTime();
        if (!handle.cancel()) {
            // Rare: the vCPU thread was held up between its last check-in and the call's start (see above).
            retriedOps++;
            do {
                checkVcpu();
                Thread.onSpinWait();
                asked = System.nanoTime();
            } while (!handle.cancel());
        }
        while (failedNumber != expected) {
            checkVcpu();
            Thread.onSpinWait();
        }
        ops++;
        long latency = failedAtNanos - asked;
        if (recorded < latencies.length) {
            latencies[recorded++] = latency;
        }
        return latency;
    }

    private void checkVcpu() {
        Throwable t = vcpuError.get();
        if (t != null) {
            throw new IllegalStateException("the vCPU thread failed", t);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        stopping = true;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (vcpuThread.isAlive() && System.nanoTime() < giveUp) {
            handle.cancel();
            vcpuThread.join(1);
        }
        if (recorded > 0) {
            long[] sorted = Arrays.copyOf(latencies, recorded);
            Arrays.sort(sorted);
            System.out.printf("[cancel] cancel() called -> spin call failed on the vCPU thread, %d samples (warmup"
                    + " included): p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us; %d of %d ops retried"
                    + " cancel()%n", recorded, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                    sorted[recorded - 1] / 1e3, retriedOps, ops);
        }
        checkVcpu();
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e3;
    }
}
