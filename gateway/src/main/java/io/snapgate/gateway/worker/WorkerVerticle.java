package io.snapgate.gateway.worker;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.vmm.sys.CpuAffinity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: deployed with the WORKER threading model on its own pool of one thread, so its start, every job,
 * its timers and its stop run on the same OS thread, which owns the vCPUs of the worker's sandboxes (and may be
 * pinned to one CPU, its emulator process with it). A timer
 * gives back the vCPUs of sandboxes left idle; stop closes them all.
 */
final class WorkerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
    private static final long IDLE_CHECK_MS = 10_000;
    /**
     * How long a cached sandbox keeps its vCPU without a call. Long: the vCPUs are charged in the memory budget
     * and given back first when it needs room, and one given back costs the snapshot's next call a new engine and
     * its code translated again (~1.3 ms); 2 s made every round-robin over thousands of snapshots start cold.
     */
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final int index;
    private final HomeWorkers homes;
    private final SandboxFactory factory;
    private final MemoryBudget budget;
    private final CacheLimits limits;
    /** The CPU the worker's thread is pinned to; empty: it runs wherever the scheduler puts it. */
    private final Optional<CpuAffinity> cpu;
    private Worker worker;
    private long timer;

    WorkerVerticle(int index, HomeWorkers homes, SandboxFactory factory, MemoryBudget budget, CacheLimits limits,
            Optional<CpuAffinity> cpu) {
        this.index = index;
        this.homes = homes;
        this.factory = factory;
        this.budget = budget;
        this.limits = limits;
        this.cpu = cpu;
    }

    @Override
    public Future<?> start() {
        cpu.ifPresent(this::pin);
        WorkerState state = new WorkerState(factory, budget, limits, digest -> homes.of(digest) == index);
        worker = new Worker(index, context, state);
        timer = vertx.setPeriodic(IDLE_CHECK_MS, id -> state.releaseIdleVcpus(IDLE_NANOS));
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        worker.state().closeAll();
        return Future.succeededFuture();
    }

    /** Pins this thread, before it has an emulator process, which then follows it to that CPU. */
    private void pin(CpuAffinity only) {
        try {
            only.applyToCurrentThread();
            LOG.debug("worker {} runs on CPU {}", index, only);
        } catch (RuntimeException e) {
            LOG.warn("worker {} runs on any CPU: cannot pin it to CPU {}: {}", index, only, e.getMessage());
        }
    }

    Worker worker() {
        return worker;
    }
}
