package io.snapgate.vmm.bench;

import io.snapgate.vmm.memory.ResetStrategy;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * dirty_pages(n) then restore(), per reset strategy: Hyperlight's call_with_restore shape with n dirty pages.
 * A restore's cost cannot be measured alone (the pages must be dirtied again before each one), so the op is
 * the pair; n = 0 is the baseline, and (t(n) - t(0)) / n is the cost per dirty page of the call, its page
 * faults and the restore together.
 *
 * <p>With {@code -Dsnapgate.bench.breakdown=true} (e.g. {@code -jvmArgsAppend -Dsnapgate.bench.breakdown=true})
 * each op also times its call and its restore apart and the fork prints their means at the end of the trial.
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class RestoreBenchmark extends SampledBenchmark {
    private static final boolean BREAKDOWN = Boolean.getBoolean("snapgate.bench.breakdown");

    @Param({"0", "1", "16", "256"})
    public int pages;

    @Param({"DROP", "COPY_BACK"})
    public ResetStrategy reset;

    private Sandbox sandbox;
    private long ops;
    private long callNanos;
    private long restoreNanos;

    @Setup
    public void setUp() {
        sandbox = BenchSandboxes.testguest(SandboxConfig.DEFAULT.withReset(reset));
    }

    @TearDown
    public void tearDown() {
        sandbox.close();
        if (BREAKDOWN && ops > 0) {
            System.out.printf("[breakdown] pages=%d reset=%s: call %.2f us, restore %.2f us (mean of %d ops,"
                    + " warmup included)%n", pages, reset, callNanos / 1e3 / ops, restoreNanos / 1e3 / ops, ops);
        }
    }

    @Benchmark
    public Object dirtyThenRestore() {
        if (BREAKDOWN) {
            return timedDirtyThenRestore();
        }
        Object result = sandbox.call("dirty_pages", pages);
        sandbox.restore();
        return result;
    }

    private Object timedDirtyThenRestore() {
        long t0 = System.nanoTime();
        Object result = sandbox.call("dirty_pages", pages);
        long t1 = System.nanoTime();
        sandbox.restore();
        long t2 = System.nanoTime();
        ops++;
        callNanos += t1 - t0;
        restoreNanos += t2 - t1;
        return result;
    }
}
