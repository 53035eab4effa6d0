package io.snapgate.gateway.worker;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.memory.OverBudget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The handle everyone else holds on a worker: jobs go in through {@link #submit} and run, one at a time, on the
 * worker's own thread (its verticle's context: a worker pool of size one), in order per tenant and in turns
 * between tenants ({@link FairQueue}); answers come back on the submitter's context. Only
 * {@link WorkerState#cancelRunning()} reaches the vCPU from outside.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** How long after its deadline a call still waiting for this worker is answered DEADLINE_EXCEEDED. */
    private static final long DEADLINE_SLACK_MS = 250;
    /** The deadline of a job that has none (housekeeping such as closing a session). */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final int index;
    private final Context context;
    private final WorkerState state;
    private final FairQueue queue = new FairQueue();
    /**
     * Jobs in {@link #queue} not yet taken. Only a job that finds none asks the worker's context to run; the worker
     * then asks again from its own thread while more wait, so a busy worker costs a submitter no hand-over to the
     * context's executor (a lock and a wake-up) per job.
     */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Handler<Void> runNext = v -> runNext();
    private final AtomicInteger load = new AtomicInteger();
    /** The OS thread of the first job; every later job must run on it too (else {@link #strayJobs} counts it). */
    private volatile Thread owner;
    private final AtomicLong strayJobs = new AtomicLong();
    private volatile boolean busy;
    private volatile boolean stopping;

    Worker(int index, Context context, WorkerState state) {
        this.index = index;
        this.context = context;
        this.state = state;
    }

    /**
     * Queues the job behind this worker's others of the same tenant, and behind one of each other tenant. A job
     * whose deadline ({@link System#nanoTime()}) passes before it starts is skipped. The answer is DEADLINE_EXCEEDED
     * no later than shortly after the deadline, even while the worker is still busy with an earlier job.
     * {@code done} runs on the worker thread after the job. The answer comes on the caller's context, or on an event
     * loop for a caller outside Vert.x: never on the worker thread, where whatever the caller does next (a shutdown
     * undeploying this very worker) would run too. A job the memory budget refused is answered by
     * {@code overBudget} instead, when given (on the caller's context). With an {@code order}, the job is queued
     * only once the jobs submitted before it in that sequence have run (and a refused one's {@code overBudget}
     * answered); its deadline counts from now.
     */
    <T> Future<T> submit(Tenant tenant, Sequence order, WorkerJob<T> job, long deadline, Runnable done,
            Function<OverBudget, Future<T>> overBudget) {
        Context current = Vertx.currentContext();
        Context caller = current != null ? current : context.owner().getOrCreateContext();
        Promise<T> promise = Promise.promise();
        // Mostly a call still queued: one that runs is stopped at its deadline and answers by itself
        long timer = deadline == NO_DEADLINE ? -1 : caller.owner().setTimer(
                Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + DEADLINE_SLACK_MS),
                id -> promise.tryFail(new GatewayException(ErrorCode.DEADLINE_EXCEEDED,
                        "the deadline passed before worker " + index + " answered the call")));
        load.incrementAndGet();
        if (order == null) {
            enqueue(tenant, job, deadline, done, promise, caller, timer, overBudget, null);
        } else {
            order.add(() -> enqueue(tenant, job, deadline, done, promise, caller, timer, overBudget, order));
        }
        return promise.future();
    }

    private <T> void enqueue(Tenant tenant, WorkerJob<T> job, long deadline, Runnable done, Promise<T> promise,
            Context caller, long timer, Function<OverBudget, Future<T>> overBudget, Sequence order) {
        queue.add(tenant.lane(index), () -> execute(job, deadline, done, promise, caller, timer, overBudget, order));
        if (waiting.getAndIncrement() == 0) {
            context.runOnContext(runNext);
        }
    }

    /**
     * Runs the next job; asks to run again while jobs wait (a task of its own each, as Vert.x times tasks), or when
     * the job counted is not in the queue's ring yet (its lane's first adder is about to put it there).
     */
    private void runNext() {
        boolean ran = false;
        try {
            ran = queue.runNext();
        } finally {
            if (!ran || waiting.decrementAndGet() > 0) {
                context.runOnContext(runNext);
            }
        }
    }

    private <T> void execute(WorkerJob<T> job, long deadline, Runnable done, Promise<T> promise, Context caller,
            long timer, Function<OverBudget, Future<T>> overBudget, Sequence order) {
        Thread thread = Thread.currentThread();
        if (owner == null) {
            owner = thread;
        } else if (owner != thread) {
            strayJobs.incrementAndGet();
        }
        busy = true;
        T result = null;
        Throwable failure = null;
        try {
            if (stopping && deadline != NO_DEADLINE) { // housekeeping still runs: the shutdown closes sessions so
                throw new GatewayException(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down");
            }
            if (deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0) {
                throw new GatewayException(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed while the call waited");
            }
            result = job.run(state);
        } catch (Throwable t) {
            failure = t;
        } finally {
            busy = false;
            load.decrementAndGet();
            done.run();
        }
        T r = result;
        Throwable f = failure;
        boolean retried = f instanceof OverBudget && overBudget != null; // runs again, still in its order's turn
        if (order != null && !retried) {
            order.next();
        }
        caller.runOnContext(v -> {
            if (timer != -1) {
                caller.owner().cancelTimer(timer);
            }
            if (retried) {
                overBudget.apply((OverBudget) f).onComplete(ar -> {
                    settle(promise, ar.result(), ar.cause());
                    if (order != null) {
                        order.next();
                    }
                });
            } else {
                settle(promise, r, f);
            }
        });
    }

    /** Completes the promise; a result nobody will receive any more (the deadline answered first) is closed. */
    private static <T> void settle(Promise<T> promise, T result, Throwable failure) {
        if (failure == null) {
            if (!promise.tryComplete(result) && result instanceof AutoCloseable late) {
                try {
                    late.close();
                } catch (Exception e) {
                    LOG.warn("closing a result that arrived after its deadline: {}", e.getMessage());
                }
            }
        } else {
            promise.tryFail(failure);
        }
    }

    /** Refuses the calls not started yet and cancels the running guest call, if any. */
    void stop() {
        stopping = true;
        state.cancelRunning();
    }

    public int index() {
        return index;
    }

    /** Jobs queued or running. */
    public int load() {
        return load.get();
    }

    public boolean busy() {
        return busy;
    }

    /** Whether a stateless sandbox of the snapshot is mapped here. */
    public boolean holds(String digest) {
        return state.holds(digest);
    }

    public int mapped() {
        return state.mapped();
    }

    /** The OS thread this worker's jobs run on; null before its first job. */
    public Thread owner() {
        return owner;
    }

    /** Jobs that ran on another thread than {@link #owner()}: always 0 unless the threading is broken. */
    public long strayJobs() {
        return strayJobs.get();
    }

    WorkerState state() {
        return state;
    }
}
