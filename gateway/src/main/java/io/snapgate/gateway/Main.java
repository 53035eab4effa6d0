package io.snapgate.gateway;

import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The snapgate command. Until the HTTP gateway lands it runs a demo: builds a sandbox from the example
 * guest {@code hello.elf}, calls its functions, and prints results and timings.
 */
public final class Main {
    private static final int TIMED_CALLS = 20_000;

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        byte[] elf = exampleGuest("hello");
        long t0 = System.nanoTime();
        try (Sandbox sandbox = Sandbox.builder(elf).build()) {
            long built = System.nanoTime() - t0;
            out.printf("built a sandbox from hello.elf (%d bytes) on the %s backend in %.2f ms%n", elf.length,
                    sandbox.backendName(), built / 1e6);
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
            sandbox.call(Duration.ofSeconds(5), "add", 1, 1);
        }
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

    private static byte[] exampleGuest(String name) throws IOException {
        try (InputStream in = Main.class.getResourceAsStream("/guests/" + name + ".elf")) {
            if (in == null) {
                throw new IOException("example guest " + name + ".elf is not on the class path; build with mvn package");
            }
            return in.readAllBytes();
        }
    }
}
