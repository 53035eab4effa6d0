package io.snapgate.vmm.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.snapgate.vmm.memory.LayoutSizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The long fuzzing run (BENCHMARKS.md, "Fuzzing the emulated vCPU" has the command):
 * {@code FuzzMain <minutes> <seed> default|lazy-heap <output folder>}, the layout a sandbox's default sizes or an
 * 8 MiB heap (which the emulated backend once mapped by chunks). Prints progress every minute and a summary at
 * the end; the output folder gets the summary, and per crash signature its reproducer and what the process left
 * (error report or output) at its first sighting.
 */
public final class FuzzMain {
    private static final Duration MINIMISE_BUDGET = Duration.ofMinutes(3);

    private FuzzMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 || !args[2].matches("default|lazy-heap")) {
            System.err.println("usage: FuzzMain <minutes> <seed> default|lazy-heap <output folder>");
            System.exit(2);
        }
        Duration duration = Duration.ofMinutes(Long.parseLong(args[0]));
        long seed = Long.parseLong(args[1]);
        LayoutSizes sizes = args[2].equals("default") ? FuzzImage.DEFAULT : FuzzImage.LAZY_HEAP;
        Path out = Files.createDirectories(Path.of(args[3]));
        // every loss is expected here: the summary counts them
        ((Logger) LoggerFactory.getLogger("io.snapgate.vmm.vcpu.process.EmulatorProcess")).setLevel(Level.ERROR);
        Instant start = Instant.now();
        try (EmulatorTarget target = new EmulatorTarget(sizes)) {
            Fuzzer fuzzer = new Fuzzer(target, seed, MINIMISE_BUDGET);
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() - end < 0) {
                fuzzer.run(Duration.ofNanos(Math.min(Duration.ofMinutes(1).toNanos(), end - System.nanoTime())));
                System.out.println(progress(fuzzer, Duration.between(start, Instant.now())));
            }
            fuzzer.finish();
            String summary = "layout: " + args[2] + " (" + sizes + ")\n"
                    + summary(fuzzer, seed, start, Duration.between(start, Instant.now()));
            System.out.println(summary);
            Files.writeString(out.resolve("summary.md"), summary);
            int n = 0;
            for (Finding f : fuzzer.findings().values()) {
                n++;
                Files.writeString(out.resolve("finding-" + n + ".txt"), f.signature() + "\n\n" + listing(f, ""));
                if (f.report() != null) {
                    Files.writeString(out.resolve("finding-" + n + "-hs_err.log"), f.report().text());
                }
            }
        }
    }

    private static String progress(Fuzzer fuzzer, Duration elapsed) {
        return String.format("%s: %d programs, %d losses (%d contained), %d signatures, %d breaches",
                elapsed.withNanos(0), fuzzer.programs(), fuzzer.losses(), fuzzer.contained(),
                fuzzer.findings().size(), fuzzer.breaches().size());
    }

    static String summary(Fuzzer fuzzer, long seed, Instant start, Duration elapsed) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("seed %d, started %s, ran %s%n", seed, start, elapsed.withNanos(0)));
        s.append(String.format("programs run: %d (%.1f/s), minimising included%n", fuzzer.programs(),
                fuzzer.programs() / (elapsed.toMillis() / 1000.0)));
        s.append(String.format("emulator processes lost: %d, contained: %d (the next program ran in a new process)%n",
                fuzzer.losses(), fuzzer.contained()));
        s.append("breaches: ").append(fuzzer.breaches().isEmpty() ? "none" : String.join("; ", fuzzer.breaches()))
                .append('\n');
        s.append("programs that ended: ").append(fuzzer.endings().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        s.append(String.format("distinct signatures: %d%n", fuzzer.findings().size()));
        for (Map.Entry<String, Finding> e : fuzzer.findings().entrySet()) {
            Finding f = e.getValue();
            s.append(String.format("%n- %s%n  seen %d times, in %s; classes %s; %s:%n", f.signature(), f.seen(),
                    f.stage(), f.classes(), f.reproduced() ? "minimal reproducer" : "did not happen again alone"));
            s.append(listing(f, "    "));
            if (f.report() != null) {
                f.report().nativeFrames().stream().limit(6).forEach(frame -> s.append("    | ").append(frame)
                        .append('\n'));
            }
        }
        return s.toString();
    }

    /** The reproducer's programs, one instruction a line; numbered when there are several. */
    private static String listing(Finding f, String indent) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < f.reproducer().size(); i++) {
            if (f.reproducer().size() > 1) {
                s.append(indent).append("program ").append(i + 1).append(" of ").append(f.reproducer().size())
                        .append(":\n");
            }
            f.reproducer().get(i).body().forEach(insn -> s.append(indent).append(insn).append('\n'));
        }
        return s.toString();
    }

    /** For tests: the summary to a stream. */
    static void print(Fuzzer fuzzer, long seed, Instant start, PrintStream out) {
        out.println(summary(fuzzer, seed, start, Duration.between(start, Instant.now())));
    }
}
