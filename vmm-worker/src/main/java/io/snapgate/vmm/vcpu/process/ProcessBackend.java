package io.snapgate.vmm.vcpu.process;

import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryHost;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.sys.CpuAffinity;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated backend as the gateway runs it: Unicorn in an emulator process of its own for each thread that
 * runs guests (a gateway worker owns one vCPU thread), holding that thread's guest memory, engines and translated
 * code. A guest that crashes or hangs Unicorn takes down that process only: its thread's calls end with
 * {@code Lost}, its sandboxes are gone, and the thread's next sandbox starts in a new process (a spare one is kept
 * started, so that takes no JVM start). Other threads' processes never notice. A thread's process ends within a
 * second of the thread, and with this JVM, however it ends ({@link EmulatorMain} exits when its input closes).
 */
public final class ProcessBackend implements VcpuBackend, MemoryHost, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessBackend.class);

    private final int idleEngines;
    /** Where crashing processes leave their error report and output; null: nowhere (the gateway's backend). */
    private final Path crashReports;
    private final Map<Thread, EmulatorProcess> processes = new ConcurrentHashMap<>();
    /**
     * The next spare process, started or starting (null before the first is asked for; completed with null when
     * its start failed). A thread that finds it still starting waits for it rather than starting one more: on a
     * busy machine the worker once waited for three JVMs starting side by side, each twice as slow. Guarded by
     * {@code this}.
     */
    private CompletableFuture<EmulatorProcess> spare;
    /** Closes the processes of threads that ended, so that none outlives its worker by more than a second. */
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "snapgate-emulator-reaper");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    /** A backend whose emulator processes each keep at most {@code idleEngines} warm Unicorn engines. */
    public ProcessBackend(int idleEngines) {
        this(idleEngines, null);
    }

    private ProcessBackend(int idleEngines, Path crashReports) {
        if (idleEngines < 0) {
            throw new IllegalArgumentException("idle engines " + idleEngines + " is negative");
        }
        this.idleEngines = idleEngines;
        this.crashReports = crashReports;
        reaper.scheduleWithFixedDelay(this::reapFinishedThreads, 1, 1, TimeUnit.SECONDS);
    }

    private static final class Shared {
        static final ProcessBackend INSTANCE = new ProcessBackend(UnicornBackend.DEFAULT_IDLE_ENGINES);
    }

    /**
     * The process-wide backend. Its emulator processes end with this JVM (their standard input closes): no
     * shutdown hook, since the gateway's own drains the guests still running first.
     */
    public static ProcessBackend instance() {
        return Shared.INSTANCE;
    }

    /**
     * A backend of its own (close it when done) whose emulator processes leave in {@code folder} what says where
     * they died, should they crash: the JVM's error report ({@code hs_err_pid<pid>.log}, whose "Problematic frame"
     * names the place) and their output ({@code output_pid<pid>.log}, where Unicorn says why it aborts). For the
     * fuzzer, which tells crashes apart by them; the gateway's backend writes no reports, since a tenant could
     * make it write many.
     */
    public static ProcessBackend reportingCrashesIn(Path folder) {
        return new ProcessBackend(UnicornBackend.DEFAULT_IDLE_ENGINES, folder);
    }

    @Override
    public String name() {
        return UnicornBackend.NAME;
    }

    @Override
    public Vcpu createVcpu(String codeDigest) {
        return new RemoteVcpu(process(), codeDigest);
    }

    @Override
    public GuestMemory map(MemoryFile file, MemoryLayout layout, boolean shared) {
        return RemoteGuestMemory.map(process(), file, layout, shared);
    }

    /**
     * The calling thread's emulator process: a new one (the spare) when it has none or lost it, which then runs on
     * the CPUs the thread may run on.
     */
    private EmulatorProcess process() {
        Thread thread = Thread.currentThread();
        EmulatorProcess current = processes.get(thread);
        if (current != null && !current.isLost()) {
            return current;
        }
        if (closed) {
            throw new IllegalStateException("the emulated backend is closed");
        }
        EmulatorProcess next = takeSpare();
        next.follow(CpuAffinity.ofCurrentThread());
        processes.put(thread, next);
        if (current != null) {
            current.close();
        }
        return next;
    }

    /**
     * The spare process (waiting for it when it is still starting); the next spare starts once it has started, so
     * that no two JVMs start side by side (the first take too, which finds no spare and starts one).
     */
    private EmulatorProcess takeSpare() {
        CompletableFuture<EmulatorProcess> taken;
        synchronized (this) {
            taken = spare != null ? spare : startSpare();
            spare = taken.handle((process, e) -> null).thenCompose(v -> startSpare());
        }
        EmulatorProcess ready = taken.join();
        return ready != null && !ready.isLost() ? ready : EmulatorProcess.start(idleEngines, crashReports);
    }

    /** Starts a process in a thread of its own; the future holds null when the start failed. */
    private CompletableFuture<EmulatorProcess> startSpare() {
        CompletableFuture<EmulatorProcess> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                EmulatorProcess process = closed ? null : EmulatorProcess.start(idleEngines, crashReports);
                if (process != null && closed) {
                    process.close();
                    process = null;
                }
                started.complete(process);
            } catch (RuntimeException e) {
                LOG.warn("cannot start a spare emulator process: {}", e.getMessage());
                started.complete(null);
            }
        }, "snapgate-emulator-spare");
        starter.setDaemon(true);
        starter.start();
        return started;
    }

    /** Threads end (a worker undeployed, a test's thread): their processes go too. Any thread. */
    private void reapFinishedThreads() {
        try {
            processes.entrySet().removeIf(entry -> {
                if (entry.getKey().isAlive()) {
                    return false;
                }
                entry.getValue().close();
                return true;
            });
        } catch (RuntimeException e) { // thrown out of a scheduled task, it would end the reaping for good
            LOG.warn("cannot close the emulator process of an ended thread: {}", e.toString());
        }
    }

    /** The process id of the calling thread's emulator process, started if it has none. */
    public long processId() {
        return process().pid();
    }

    /** Requests the calling thread's emulator process was sent so far: each a hand-over to it and back. */
    public int requestsSent() {
        return process().requestsSent();
    }

    /** Emulator processes running now, spare included (for tests and metrics). */
    public synchronized int processCount() {
        return processes.size() + (spare == null || spare.getNow(null) == null ? 0 : 1);
    }

    @Override
    public void close() {
        closed = true;
        reaper.shutdownNow();
        processes.values().forEach(EmulatorProcess::close);
        processes.clear();
        synchronized (this) {
            if (spare != null) {
                spare.thenAccept(ready -> {
                    if (ready != null) {
                        ready.close();
                    }
                });
            }
        }
    }
}
