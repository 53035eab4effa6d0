package io.snapgate.gateway.worker;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.OverBudget;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.vmm.sys.CpuAffinity;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's workers behind one admission queue, fair between tenants ({@link Admission}). {@link #submit} admits a
 * job under its tenant, picks a worker ({@link Placement}: one that maps the snapshot, else its home, unless much
 * busier than the least loaded) and queues the job there, in its tenant's lane. A job the memory budget refused
 * runs once more after every worker has evicted idle cached sandboxes to make room. Thread-safe.
 */
public final class WorkerPool {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final Vertx vertx;
    private final List<Worker> workers;
    private final List<String> deployments;
    private final Admission admission;
    private final Tenant housekeeping;
    private final HomeWorkers homes;

    private WorkerPool(Vertx vertx, List<Worker> workers, List<String> deployments, int maxQueue,
            HomeWorkers homes) {
        this.vertx = vertx;
        this.workers = List.copyOf(workers);
        this.deployments = List.copyOf(deployments);
        this.admission = new Admission(workers.size(), maxQueue);
        this.housekeeping = Tenant.permanent("housekeeping", workers.size());
        this.homes = homes;
    }

    /**
     * Deploys {@code count} workers, each on a worker pool of its own named {@code snapgate-vcpu-<i>} with one
     * thread, their sandboxes reserving memory in {@code budget}, each keeping idle sandboxes within
     * {@code limits}. {@code maxJob} is how long a job may run before Vert.x warns of a blocked thread. With
     * {@code pin}, worker i's thread (and with it its emulator process) runs on the i-th of the CPUs this thread
     * may run on only, round robin.
     */
    public static Future<WorkerPool> deploy(Vertx vertx, int count, SandboxFactory factory, MemoryBudget budget,
            CacheLimits limits, int maxQueue, Duration maxJob, boolean pin) {
        List<Integer> cpus = pin ? allowedCpus() : List.of();
        HomeWorkers homes = new HomeWorkers(count);
        List<WorkerVerticle> verticles = new ArrayList<>();
        List<Future<String>> deployed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Optional<CpuAffinity> cpu = cpus.isEmpty() ? Optional.empty()
                    : Optional.of(CpuAffinity.only(cpus.get(i % cpus.size())));
            WorkerVerticle verticle = new WorkerVerticle(i, homes, factory, budget, limits, cpu);
            verticles.add(verticle);
            deployed.add(vertx.deployVerticle(verticle, new DeploymentOptions()
                    .setThreadingModel(ThreadingModel.WORKER)
                    .setWorkerPoolName("snapgate-vcpu-" + i)
                    .setWorkerPoolSize(1)
                    .setMaxWorkerExecuteTime(maxJob.toMillis())
                    .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)));
        }
        return Future.all(deployed).map(all -> new WorkerPool(vertx,
                verticles.stream().map(WorkerVerticle::worker).toList(), all.<String>list(), maxQueue, homes));
    }

    /** The CPUs this thread may run on; none (no pinning) when the system will not say, as a failed pin does. */
    private static List<Integer> allowedCpus() {
        try {
            return CpuAffinity.ofCurrentThread().cpus();
        } catch (RuntimeException e) {
            LOG.warn("workers run on any CPU: cannot read the CPUs this process may use: {}", e.getMessage());
            return List.of();
        }
    }

    /**
     * Admits the job under {@code tenant} and runs it on the best worker for the snapshot ({@code digest}; null:
     * any).
     */
    public <T> Future<T> submit(String tenant, String digest, WorkerJob<T> job, long deadline) {
        return submitInOrder(pick(digest), null, tenant, job, deadline);
    }

    /**
     * Admits the job under {@code tenant} now and runs it on {@code worker} once the jobs submitted before it in
     * {@code order} (a session's operations; null: none) have run. When the memory budget refuses it, makes room
     * on every worker and runs it there once more, still in its turn.
     */
    public <T> Future<T> submitInOrder(Worker worker, Sequence order, String tenant, WorkerJob<T> job,
            long deadline) {
        return admitted(worker, order, tenant, job, deadline,
                over -> makeRoom(over.needed()).compose(v -> admitted(worker, null, tenant, job, deadline, null))
                        .onFailure(t -> {
                            if (t instanceof OverBudget) {
                                admission.count(Refusal.MEMORY_BUDGET);
                            }
                        }));
    }

    private <T> Future<T> admitted(Worker worker, Sequence order, String tenant, WorkerJob<T> job, long deadline,
            Function<OverBudget, Future<T>> overBudget) {
        Tenant admitted;
        try {
            admitted = admission.admit(tenant);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return worker.submit(admitted, order, job, deadline, () -> admission.release(admitted), overBudget);
    }

    /** Has every worker evict idle cached sandboxes until {@code bytes} fit the memory budget (or it has none). */
    public Future<Void> makeRoom(long bytes) {
        return Future.join(workers.stream().map(w -> housekeep(w, state -> {
            state.makeRoom(bytes);
            return null;
        })).toList()).mapEmpty();
    }

    /** Runs housekeeping on {@code worker}, outside admission and without deadline. */
    public <T> Future<T> housekeep(Worker worker, WorkerJob<T> job) {
        return housekeepInOrder(worker, null, job);
    }

    /** Housekeeping (such as closing a session) after the jobs submitted before it in {@code order}. */
    public <T> Future<T> housekeepInOrder(Worker worker, Sequence order, WorkerJob<T> job) {
        return worker.submit(housekeeping, order, job, Worker.NO_DEADLINE, () -> { }, null);
    }

    /** Has every worker map a sandbox of the snapshot ahead of its first call; no guest code runs. */
    public Future<Void> prepare(SnapshotEntry entry) {
        return Future.join(workers.stream().map(w -> housekeep(w, state -> {
            state.prepare(entry);
            return null;
        })).toList()).mapEmpty();
    }

    /**
     * Has the worker that calls of the snapshot go to ({@link #pick}: its home worker, on an idle node) map a
     * sandbox of it and warm it ({@link WorkerState#warm}): what a deploy does, so that the snapshot's first call
     * pays no more than a later one. One worker only: the others would keep a copy its calls seldom reach.
     */
    public Future<Void> warm(SnapshotEntry entry, Duration timeout) {
        return housekeep(pick(entry.digest()), state -> {
            state.warm(entry, timeout);
            return null;
        });
    }

    /**
     * Where a call of the snapshot runs ({@link Placement}: the least loaded worker that maps it, else its home
     * worker, unless that one is much busier than the least loaded), from the workers' loads as they are now.
     */
    public Worker pick(String digest) {
        int[] loads = new int[workers.size()];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = workers.get(i).load();
        }
        int start = (int) (System.nanoTime() & 0x7fff_ffff) % workers.size(); // spreads ties
        return workers.get(Placement.pick(loads, i -> digest != null && workers.get(i).holds(digest),
                digest == null ? -1 : homes.of(digest), start));
    }

    public List<Worker> workers() {
        return workers;
    }

    /** Jobs admitted and not finished: running plus queued. */
    public int inFlight() {
        return admission.inFlight();
    }

    /** Tenants with jobs admitted and not finished. */
    public int tenants() {
        return admission.tenants();
    }

    /** Jobs refused for {@code reason} since start. */
    public long refused(Refusal reason) {
        return admission.refused(reason);
    }

    public int busy() {
        return (int) workers.stream().filter(Worker::busy).count();
    }

    public int mapped() {
        return workers.stream().mapToInt(Worker::mapped).sum();
    }

    /** Idle stateless sandboxes the workers keep (their sandboxes of sessions not counted). */
    public int cached() {
        return workers.stream().mapToInt(w -> w.state().cached()).sum();
    }

    /** Of {@link #cached()}, those holding a vCPU (on the emulated backend: an engine with translated code). */
    public int cachedWithVcpu() {
        return workers.stream().mapToInt(w -> w.state().cachedWithVcpu()).sum();
    }

    /**
     * Refuses new calls (SHUTTING_DOWN) and waits up to {@code grace} for those admitted; then stops the workers
     * until none is left: calls still queued are refused and guests still running are cancelled (again on each
     * tick, as a call may have been starting during the last), so every caller is answered. Housekeeping still
     * runs on a stopped worker.
     */
    public Future<Void> drain(Duration grace) {
        admission.close();
        Promise<Void> drained = Promise.promise();
        vertx.setTimer(1, id -> drainTick(drained, System.nanoTime() + grace.toNanos(), grace, false));
        return drained.future();
    }

    /**
     * One tick of {@link #drain}; the next is a timer of its own (a periodic timer cancelled from its own first run
     * once failed inside Vert.x, and the shutdown never finished).
     */
    private void drainTick(Promise<Void> drained, long giveUp, Duration grace, boolean warned) {
        int inFlight = admission.inFlight();
        boolean graceOver = System.nanoTime() - giveUp >= 0;
        if (graceOver && inFlight > 0 && !warned) {
            warned = true;
            LOG.warn("grace period of {} ms over: stopping the {} calls still running or queued (SHUTTING_DOWN)",
                    grace.toMillis(), inFlight);
        }
        if (inFlight == 0 || graceOver) {
            workers.forEach(Worker::stop);
        }
        if (admission.inFlight() == 0) {
            drained.complete();
        } else {
            boolean warnedNow = warned;
            vertx.setTimer(10, id -> drainTick(drained, giveUp, grace, warnedNow));
        }
    }

    /** Undeploys the workers, which closes their sandboxes on their own threads. */
    public Future<Void> close() {
        return Future.join(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
    }
}
