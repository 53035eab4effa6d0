package io.snapgate.gateway.worker;

import io.snapgate.gateway.memory.MemoryBudget;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;

/**
 * A worker: deployed with the WORKER threading model on its own pool of one thread, so its start, every job,
 * its timers and its stop run on the same OS thread, which owns the vCPUs of the worker's sandboxes. A timer
 * gives back the vCPUs of sandboxes left idle; stop closes them all.
 */
final class WorkerVerticle extends VerticleBase {
    private static final long IDLE_CHECK_MS = 1_000;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final int index;
    private final SandboxFactory factory;
    private final MemoryBudget budget;
    private final CacheLimits limits;
    private Worker worker;
    private long timer;

    WorkerVerticle(int index, SandboxFactory factory, MemoryBudget budget, CacheLimits limits) {
        this.index = index;
        this.factory = factory;
        this.budget = budget;
        this.limits = limits;
    }

    @Override
    public Future<?> start() {
        WorkerState state = new WorkerState(factory, budget, limits);
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

    Worker worker() {
        return worker;
    }
}
