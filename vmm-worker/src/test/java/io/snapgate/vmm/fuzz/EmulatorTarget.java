package io.snapgate.vmm.fuzz;

import io.snapgate.vmm.abi.Ports;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuLostException;
import io.snapgate.vmm.vcpu.VmExit;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs programs on the emulated backend as a sandbox runs a call: each in new guest memory placed in the calling
 * thread's emulator process, on a vCPU from that process's pool, entered with the ABI's entry state and stopped at
 * a deadline. Exits through the ABI's ports are resumed until the program's final exit, as a sandbox resumes
 * after a host call. When the process dies, what it left in a folder of this target's (the JVM's error report, or
 * its output) says where.
 */
final class EmulatorTarget implements AutoCloseable {
    private final Path reports;
    private final ProcessBackend backend;
    private final Stopper stopper = new Stopper();
    private final LayoutSizes sizes;
    private volatile int lastPid;

    /** Programs run in {@link FuzzImage}s with {@code sizes}. */
    EmulatorTarget(LayoutSizes sizes) {
        this.sizes = sizes;
        try {
            this.reports = Files.createTempDirectory("snapgate-fuzz-reports");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for crash reports", e);
        }
        this.backend = ProcessBackend.reportingCrashesIn(reports);
    }

    /**
     * Runs {@code program} in the calling thread's emulator process (a new one when the last was lost), stopping
     * it after {@code deadline}.
     */
    Outcome run(Program program, Duration deadline) {
        int pid = Math.toIntExact(backend.processId());
        lastPid = pid;
        String stage = "setup";
        PlacedProgram placed = null;
        try {
            placed = PlacedProgram.place(backend, program, sizes);
            stage = "run";
            VmExit exit = runToEnd(placed, deadline);
            if (exit instanceof VmExit.Lost lost) {
                return lost(pid, stage, lost.reason());
            }
            stage = "teardown";
            PlacedProgram done = placed;
            placed = null;
            done.close();
            // closing swallows a loss (what the process held went with it): a new process says it happened
            return backend.processId() == pid ? new Outcome.Ended(describe(exit))
                    : lost(pid, stage, "the emulator process died during teardown");
        } catch (VcpuLostException e) {
            return lost(pid, stage, e.getMessage());
        } finally {
            if (placed != null) {
                placed.close();
            }
        }
    }

    /**
     * Runs {@code programs} in order in a new emulator process (on a thread of its own: the backend keeps one
     * process per thread) until one does not end; returns that one's outcome, else the last one's.
     */
    Outcome runFresh(List<Program> programs, Duration deadline) {
        FutureTask<Outcome> task = new FutureTask<>(() -> {
            Outcome outcome = null;
            for (Program program : programs) {
                outcome = run(program, deadline);
                if (!(outcome instanceof Outcome.Ended)) {
                    break;
                }
            }
            return outcome;
        });
        new Thread(task, "fuzz-fresh-process").start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while programs ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("programs in a fresh process failed: " + e.getCause(), e.getCause());
        }
    }

    /** The layout programs run under. */
    MemoryLayout layout() {
        return FuzzImage.layout(sizes);
    }

    /** The emulator process the last program ran in. */
    int lastPid() {
        return lastPid;
    }

    private VmExit runToEnd(PlacedProgram placed, Duration deadline) {
        Vcpu vcpu = placed.vcpu();
        stopper.watch(vcpu, deadline);
        try {
            VmExit exit = placed.enter();
            while (exit instanceof VmExit.IoOut out && !(out.port() == Ports.DONE && out.value() == Program.EXIT_VALUE)
                    && !stopper.expired()) {
                exit = vcpu.resume();
            }
            return exit;
        } finally {
            stopper.done();
        }
    }

    private Outcome lost(int pid, String stage, String reason) {
        Path report = reports.resolve("hs_err_pid" + pid + ".log");
        Path output = reports.resolve("output_pid" + pid + ".log");
        try {
            return CrashReport.read(report, output, reason).<Outcome>map(r -> new Outcome.Crashed(r.signature(),
                    stage, r)).orElseGet(() -> reason.endsWith("and was killed") ? new Outcome.Hung(reason, stage)
                            : new Outcome.Crashed(Outcome.Crashed.NO_REPORT + ": " + reason.replaceAll(
                                    "\\(pid \\d+\\) ", ""), stage, null));
        } finally {
            try {
                Files.deleteIfExists(report);
                Files.deleteIfExists(output);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the crash report " + report, e);
            }
        }
    }

    private static String describe(VmExit exit) {
        if (exit instanceof VmExit.IoOut out) {
            return out.port() == Ports.DONE && out.value() == Program.EXIT_VALUE ? "done" : "deadline";
        } else if (exit instanceof VmExit.MemoryFault f) {
            return "memory fault (" + f.access().name().toLowerCase(Locale.ROOT) + ")";
        } else if (exit instanceof VmExit.CpuException e) {
            return e.vector() < 32 ? "cpu exception #" + e.vector() : "int n (n >= 32)";
        } else if (exit instanceof VmExit.Failed f) {
            return "backend failed: " + f.reason();
        }
        return exit instanceof VmExit.InvalidInstruction ? "invalid instruction" : "deadline";
    }

    @Override
    public void close() {
        stopper.close();
        backend.close();
        try (var files = Files.list(reports)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
            Files.delete(reports);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + reports, e);
        }
    }
}
