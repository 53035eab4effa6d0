package io.snapgate.vmm.bench;

import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Guest calls on one warm sandbox of testguest.elf with the default config (Hyperlight's guest_calls/* and
 * "24K in / 8K out"). No restore between calls except in {@link #callThenRestore()}. Results are returned,
 * so JMH blackholes them.
 */
public class GuestCallBenchmark extends SampledBenchmark {
    private Sandbox sandbox;
    private byte[] in24KiB;

    @Setup
    public void setUp() {
        sandbox = BenchSandboxes.testguest(SandboxConfig.DEFAULT);
        in24KiB = new byte[24 * 1024];
        new SplittableRandom(42).nextBytes(in24KiB);
    }

    @TearDown
    public void tearDown() {
        sandbox.close();
    }

    /** noop() -> void: the call frame, one guest entry, the result frame. */
    @Benchmark
    public Object noop() {
        return sandbox.call("noop");
    }

    /** add(a, b) -> host_add(a, b): one call with one host function call inside. */
    @Benchmark
    public Object add() {
        return sandbox.call("add", 2, 3);
    }

    /** noop(), then restore() to the sandbox's snapshot (Hyperlight's call_with_restore). */
    @Benchmark
    public Object callThenRestore() {
        Object result = sandbox.call("noop");
        sandbox.restore();
        return result;
    }

    /** host_call_count(10): ten host_add calls in one guest call. */
    @Benchmark
    public Object hostCalls10() {
        return sandbox.call("host_call_count", 10);
    }

    /** big_in(24 KiB of bytes) -> u64 sum. */
    @Benchmark
    public Object in24KiB() {
        return sandbox.call("big_in", in24KiB);
    }

    /** big_out(8192) -> 8 KiB of bytes. */
    @Benchmark
    public Object out8KiB() {
        return sandbox.call("big_out", 8192);
    }
}
