package io.snapgate.gateway.cli;

import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code snapgate demo}: builds a sandbox from the example guest hello, calls it and times calls, in process. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the VMM in process: a sandbox from the example guest hello, its functions, call timings.")
public final class DemoCommand implements Callable<Integer> {
    private static final int TIMED_CALLS = 20_000;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        byte[] elf = ExampleGuests.elf("hello");
        long t0 = System.nanoTime();
        try (Sandbox sandbox = Sandbox.builder(elf).build()) {
            out.printf("built a sandbox from hello.elf (%d bytes) on the %s backend in %.2f ms%n", elf.length,
                    sandbox.backendName(), (System.nanoTime() - t0) / 1e6);
            out.println("guest functions: " + sandbox.functions());
            out.println("greet(\"snapgate\") -> " + sandbox.call("greet", "snapgate"));
            out.println("add(40, 2)        -> " + sandbox.call("add", 40, 2));
            out.println("fib(90)           -> " + Long.toUnsignedString((Long) sandbox.call("fib", 90L)));
            out.println("count(1) x3       -> " + sandbox.call("count", 1) + ", " + sandbox.call("count", 1) + ", "
                    + sandbox.call("count", 1));
            sandbox.restore();
            out.println("after restore, count(1) -> " + sandbox.call("count", 1));
            try {
                sandbox.call("add", "forty", 2);
            } catch (SandboxException e) {
                out.println("add(\"forty\", 2)   -> refused: " + e.getMessage());
            }
            out.printf("call add(1, 2):           %.2f us per call (mean of %d)%n", timeCalls(sandbox, false) / 1e3,
                    TIMED_CALLS);
            out.printf("call add(1, 2) + restore: %.2f us per call (mean of %d)%n", timeCalls(sandbox, true) / 1e3,
                    TIMED_CALLS);
        }
        return 0;
    }

    private static double timeCalls(Sandbox sandbox, boolean restore) {
        for (int i = 0; i < TIMED_CALLS / 4; i++) {
            sandbox.call("add", 1, 2);
        }
        long start = System.nanoTime();
        for (int i = 0; i < TIMED_CALLS; i++) {
            sandbox.call("add", 1, 2);
            if (restore) {
                sandbox.restore();
            }
        }
        return (System.nanoTime() - start) / (double) TIMED_CALLS;
    }
}
