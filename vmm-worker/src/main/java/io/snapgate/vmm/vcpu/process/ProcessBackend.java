package io.snapgate.vmm.vcpu.process;

import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryHost;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated backend as the gateway runs it: Unicorn in an emulator process of its own for each thread that
 * runs guests (a gateway worker owns one vCPU thread), holding that thread's guest memory, engines and translated
 * code. A guest that crashes or hangs Unicorn takes down that process only: its thread's calls end with
 * {@code Lost}, its sandboxes are gone, and the thread's next sandbox starts in a new process (a spare one is kept
 * started, so that takes no JVM start). Other threads' processes never notice.
 */
public final class ProcessBackend implements VcpuBackend, MemoryHost, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessBackend.class);

    private final int idleEngines;
    private final Map<Thread, EmulatorProcess> processes = new ConcurrentHashMap<>();
    private final AtomicReference<EmulatorProcess> spare = new AtomicReference<>();
    private volatile boolean closed;

    /** A backend whose emulator processes each keep at most {@code idleEngines} warm Unicorn engines. */
    public ProcessBackend(int idleEngines) {
        if (idleEngines < 0) {
            throw new IllegalArgumentException("idle engines " + idleEngines + " is negative");
        }
        this.idleEngines = idleEngines;
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

    /** The calling thread's emulator process: a new one (the spare) when it has none or lost it. */
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
        processes.put(thread, next);
        if (current != null) {
            current.close();
        }
        reapFinishedThreads();
        return next;
    }

    private EmulatorProcess takeSpare() {
        EmulatorProcess ready = spare.getAndSet(null);
        Thread starter = new Thread(this::startSpare, "snapgate-emulator-spare");
        starter.setDaemon(true);
        starter.start();
        return ready != null && !ready.isLost() ? ready : EmulatorProcess.start(idleEngines);
    }

    private void startSpare() {
        try {
            EmulatorProcess started = EmulatorProcess.start(idleEngines);
            if (closed || !spare.compareAndSet(null, started)) {
                started.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot start a spare emulator process: {}", e.getMessage());
        }
    }

    /** Threads end (a worker undeployed, a test's thread): their processes go too. */
    private void reapFinishedThreads() {
        processes.entrySet().removeIf(entry -> {
            if (entry.getKey().isAlive()) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
    }

    /** The process id of the calling thread's emulator process, started if it has none. */
    public long processId() {
        return process().pid();
    }

    /** Emulator processes running now, spare included (for tests and metrics). */
    public int processCount() {
        return processes.size() + (spare.get() == null ? 0 : 1);
    }

    @Override
    public void close() {
        closed = true;
        processes.values().forEach(EmulatorProcess::close);
        processes.clear();
        EmulatorProcess ready = spare.getAndSet(null);
        if (ready != null) {
            ready.close();
        }
    }
}
