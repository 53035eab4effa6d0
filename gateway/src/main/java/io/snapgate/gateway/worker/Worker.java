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
import java.util.ArrayList;
import java.util.List;
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
    /** Stateless calls in one turn at most. */
    private static final int TURN_CALLS = 32;
    /**
     * How long a turn of calls may go on: no call of it starts later. Kept short, so that a tenant's turn of
     * many calls keeps another tenant's call waiting little longer than one call would.
     */
    private static final long TURN_NANOS = 200_000;
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
    /** Turns in which more than one stateless call ran, and the calls that ran in them. */
    private final AtomicLong turns = new AtomicLong();
    private final AtomicLong turnCalls = new AtomicLong();
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
        queue.add(tenant.lane(index), new Queued<>(job, deadline, done, promise, caller, timer, overBudget, order));
        if (waiting.getAndIncrement() == 0) {
            context.runOnContext(runNext);
        }
    }

    /**
     * Runs the next turn; asks to run again while jobs wait (a task of its own each, as Vert.x times tasks), or
     * when the job counted is not in the queue's ring yet (its lane's first adder is about to put it there).
     */
    private void runNext() {
        int ran = 0;
        try {
            ran = queue.runNext(Worker::joins, TURN_CALLS, this::execute);
        } finally {
            if (ran == 0 || waiting.addAndGet(-ran) > 0) {
                context.runOnContext(runNext);
            }
        }
    }

    /** Whether {@code next} may run in one turn with {@code first}: both stateless calls. */
    private static boolean joins(Runnable first, Runnable next) {
        Queued<?> later = (Queued<?>) next;
        return ((Queued<?>) first).job instanceof StatelessCallJob && later.job instanceof StatelessCallJob
                && later.order == null;
    }

    /** Runs a turn of jobs; returns those not run (they go back to the queue). */
    private List<Runnable> execute(List<Runnable> turn) {
        Thread thread = Thread.currentThread();
        if (owner == null) {
            owner = thread;
        } else if (owner != thread) {
            strayJobs.incrementAndGet();
        }
        busy = true;
        try {
            if (turn.size() == 1) {
                ((Queued<?>) turn.get(0)).run();
                return List.of();
            }
            return callTurn(turn);
        } finally {
            busy = false;
        }
    }

    /**
     * Stateless calls, in turns of their sandboxes ({@link WorkerState#callEach}) for at most {@link #TURN_NANOS};
     * the calls not reached by then go back to the queue. A call refused before it runs (the worker stops, its
     * deadline passed) is answered at once.
     */
    @SuppressWarnings("unchecked")
    private List<Runnable> callTurn(List<Runnable> turn) {
        List<Queued<GuestReturn>> runnable = new ArrayList<>(turn.size());
        List<StatelessCallJob> jobs = new ArrayList<>(turn.size());
        for (Runnable r : turn) {
            Queued<GuestReturn> q = (Queued<GuestReturn>) r;
            GatewayException refused = q.refusal();
            if (refused != null) {
                q.finish(null, refused);
            } else {
                runnable.add(q);
                jobs.add((StatelessCallJob) q.job);
            }
        }
        if (jobs.isEmpty()) {
            return List.of();
        }
        int[] answered = {0};
        try {
            state.callEach(jobs, System.nanoTime() + TURN_NANOS, o -> runnable.get(answered[0]++).finish(
                    o.failure() == null ? new GuestReturn(o.value(), o.runNanos() / 1000) : null, o.failure()));
        } catch (Throwable t) { // the first call's sandbox could not be had, say: that one fails, the rest wait
            if (answered[0] == 0) {
                runnable.get(answered[0]++).finish(null, t);
            } else {
                LOG.error("a turn of calls failed after {} of them ran: {}", answered[0], t.toString());
            }
        }
        if (answered[0] > 1) {
            turns.incrementAndGet();
            turnCalls.addAndGet(answered[0]);
        }
        return List.copyOf(runnable.subList(answered[0], runnable.size()));
    }

    /** A job waiting for this worker, with what its caller is answered by. */
    private final class Queued<T> implements Runnable {
        final WorkerJob<T> job;
        private final long deadline;
        private final Runnable done;
        private final Promise<T> promise;
        private final Context caller;
        private final long timer;
        private final Function<OverBudget, Future<T>> overBudget;
        final Sequence order;

        Queued(WorkerJob<T> job, long deadline, Runnable done, Promise<T> promise, Context caller, long timer,
                Function<OverBudget, Future<T>> overBudget, Sequence order) {
            this.job = job;
            this.deadline = deadline;
            this.done = done;
            this.promise = promise;
            this.caller = caller;
            this.timer = timer;
            this.overBudget = overBudget;
            this.order = order;
        }

        @Override
        public void run() {
            T result = null;
            Throwable failure = refusal();
            if (failure == null) {
                try {
                    result = job.run(state);
                } catch (Throwable t) {
                    failure = t;
                }
            }
            finish(result, failure);
        }

        /** Why the job must not start now; null when it may. */
        GatewayException refusal() {
            if (stopping && deadline != NO_DEADLINE) { // housekeeping still runs: the shutdown closes sessions so
                return new GatewayException(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down");
            }
            if (deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0) {
                return new GatewayException(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed while the call waited");
            }
            return null;
        }

        /** The job is over: frees its place and answers its caller (a refusal for memory runs it once more). */
        void finish(T result, Throwable failure) {
            load.decrementAndGet();
            done.run();
            boolean retried = failure instanceof OverBudget && overBudget != null; // runs again, in its order's turn
            if (order != null && !retried) {
                order.next();
            }
            caller.runOnContext(v -> {
                if (timer != -1) {
                    caller.owner().cancelTimer(timer);
                }
                if (retried) {
                    overBudget.apply((OverBudget) failure).onComplete(ar -> {
                        settle(promise, ar.result(), ar.cause());
                        if (order != null) {
                            order.next();
                        }
                    });
                } else {
                    settle(promise, result, failure);
                }
            });
        }
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

    /** Turns of several stateless calls so far ({@link #callTurn}). */
    public long turns() {
        return turns.get();
    }

    /** Calls that ran in {@link #turns()}. */
    public long turnCalls() {
        return turnCalls.get();
    }

    /** Jobs that ran on another thread than {@link #owner()}: always 0 unless the threading is broken. */
    public long strayJobs() {
        return strayJobs.get();
    }

    WorkerState state() {
        return state;
    }
}
