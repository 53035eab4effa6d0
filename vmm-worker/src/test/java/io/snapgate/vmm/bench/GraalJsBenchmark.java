package io.snapgate.vmm.bench;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a Java user would pick instead of snapgate's JavaScript functions: GraalJS (org.graalvm.polyglot with
 * js-community) in this JVM, running JavaScriptBenchmark's scripts. Run beside it for the same-run ratios: a new
 * Context per request from one shared Engine (which caches the parsed script), the script evaluated, then the
 * call; and calls on a warm Context (never reset, unlike a sandbox's restore). Each call does the guest's JSON
 * work: the argument parsed from JSON text, the result written back as JSON text. On a JVM without the Graal
 * compiler (OpenJDK 17 here) GraalJS runs in its interpreter and prints a warning saying so.
 */
public class GraalJsBenchmark extends SampledBenchmark {
    /** The JS runtime guest's call: decode the JSON argument, call the export, encode its result. */
    private static final Source CALL = Source.create("js",
            "(function (f, argument) { return JSON.stringify(f(JSON.parse(argument))); })");

    @Param({"small", "100KB"})
    public String script;

    private Engine engine;
    private Source source;
    private Context warm;
    private Value warmCall;
    private Value warmExports;

    @Setup
    public void setUp() {
        engine = Engine.create("js");
        source = Source.create("js", "var exports = {};\n" + JavaScriptBenchmark.source(script));
        warm = context();
        warmCall = warm.eval(CALL);
        warmExports = warm.getBindings("js").getMember("exports");
    }

    /** A new Context on the shared Engine with the script evaluated in it. */
    private Context context() {
        Context context = Context.newBuilder("js").engine(engine).build();
        context.eval(source);
        return context;
    }

    @TearDown
    public void tearDown() {
        warm.close();
        engine.close();
    }

    @Benchmark
    public String newContextEvaluateAndCall() {
        try (Context context = context()) {
            Value exports = context.getBindings("js").getMember("exports");
            return context.eval(CALL).execute(exports.getMember("trivial"), "1").asString();
        }
    }

    @Benchmark
    public String warmCallTrivial() {
        return warmCall.execute(warmExports.getMember("trivial"), "1").asString();
    }

    @Benchmark
    public String warmCallBuilding1KiB() {
        return warmCall.execute(warmExports.getMember("object"), "32").asString();
    }
}
