package io.snapgate.vmm.bench;

import io.snapgate.vmm.abi.JsonText;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxBuilder;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.sandbox.Snapshot;
import io.snapgate.vmm.testing.TestGuests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JavaScript functions (guests/js, Duktape): a cold start from the script's snapshot (a new sandbox and its first
 * call) against booting the engine and evaluating the same script in a new sandbox with no snapshot, for a small
 * script and one of about 100 KB; and calls on a ready sandbox (each followed by its restore, as a stateless call
 * in the gateway): a trivial function and one that builds and returns a 1 KiB JSON object.
 */
public class JavaScriptBenchmark extends SampledBenchmark {
    /** The gateway's sizes for a script (gateway's JavaScriptGuest), the input grown for the large one. */
    private static final LayoutSizes SIZES = new LayoutSizes(16 << 20, 1 << 20, 256 << 10, 256 << 10);
    /** The benchmark's functions (also deployed by scripts/js-rest-latency.sh). */
    private static final String FUNCTIONS = functions();
    private static final JsonText ONE = new JsonText("1");
    /** 32 entries such as {@code "key12":"the value of key 12"}: 941 bytes of JSON, about 1 KiB. */
    private static final JsonText KIB = new JsonText("32");

    @Param({"small", "100KB"})
    public String script;

    private List<HostFunction> hostFunctions;
    private SandboxBuilder builder;
    private Sandbox origin;
    private Snapshot snapshot;
    private Sandbox ready;

    @Setup
    public void setUp() {
        hostFunctions = BenchSandboxes.hostFunctions();
        builder = Sandbox.builder(TestGuests.elf("js")).hostFunctions(hostFunctions).backend(BenchSandboxes.backend())
                .config(SandboxConfig.DEFAULT.withSizes(SIZES))
                .initInput(source(script).getBytes(StandardCharsets.UTF_8));
        origin = builder.build();
        snapshot = origin.currentSnapshot();
        ready = Sandbox.fromSnapshot(snapshot, hostFunctions, BenchSandboxes.backend(), SandboxConfig.DEFAULT,
                GuestLog.SLF4J);
    }

    /**
     * The functions, and for the large script ({@code "100KB"}) about 100 KB of functions it keeps to itself, as a
     * bundle does. GraalJsBenchmark evaluates the same source.
     */
    static String source(String script) {
        StringBuilder s = new StringBuilder(FUNCTIONS);
        for (int i = 0; script.equals("100KB") && s.length() < 100_000; i++) {
            s.append("rules.rule").append(i).append(" = function (order) {\n")
                    .append("    if (order.amount > ").append(i).append(") return { ok: false, rule: 'rule")
                    .append(i).append("', why: 'the amount is over ").append(i).append("' };\n")
                    .append("    return { ok: true, checked: [order.country, order.customer] };\n};\n");
        }
        return s.toString();
    }

    @TearDown
    public void tearDown() {
        ready.close();
        origin.close();
    }

    @Benchmark
    public Object coldFromSnapshot() {
        try (Sandbox sandbox = Sandbox.fromSnapshot(snapshot, hostFunctions, BenchSandboxes.backend(),
                SandboxConfig.DEFAULT, GuestLog.SLF4J)) {
            return sandbox.call("trivial", ONE);
        }
    }

    @Benchmark
    public Object bootAndEvaluate() {
        try (Sandbox sandbox = builder.build()) {
            return sandbox.call("trivial", ONE);
        }
    }

    @Benchmark
    public Object callTrivial() {
        Object result = ready.call("trivial", ONE);
        ready.restore();
        return result;
    }

    @Benchmark
    public Object callBuilding1KiB() {
        Object result = ready.call("object", KIB);
        ready.restore();
        return result;
    }

    private static String functions() {
        try (InputStream in = JavaScriptBenchmark.class.getResourceAsStream("functions.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
