package io.snapgate.gateway;

import io.snapgate.cluster.ClusteredVertx;
import io.snapgate.gateway.auth.BusAuth;
import io.snapgate.gateway.auth.Tokens;
import io.snapgate.gateway.cluster.ClusterNode;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.dispatch.Deadlines;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.HeldRefusals;
import io.snapgate.gateway.dispatch.LocalCalls;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.eventbus.EventBusFront;
import io.snapgate.gateway.front.SessionRequests;
import io.snapgate.gateway.front.SnapshotQueries;
import io.snapgate.gateway.http.Api;
import io.snapgate.gateway.http.HttpVerticle;
import io.snapgate.gateway.http.WarmUp;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.MemoryUse;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.metrics.MeteredGuestLog;
import io.snapgate.gateway.metrics.StoreSize;
import io.snapgate.gateway.pullonmiss.PullOnMiss;
import io.snapgate.gateway.session.SessionManager;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.snapshot.SnapshotBuilder;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotPublisher;
import io.snapgate.gateway.snapshot.StoreSetup;
import io.snapgate.gateway.worker.Refusal;
import io.snapgate.gateway.worker.SandboxFactory;
import io.snapgate.gateway.worker.Worker;
import io.snapgate.gateway.worker.CacheLimits;
import io.snapgate.gateway.worker.WorkerPool;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Route;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: its own Vert.x (metrics into the node's Prometheus registry), the snapshot store and
 * catalog, the worker pool, the dispatcher and sessions, the event-bus front and one HTTP verticle per core.
 * {@link #start} brings it up in that order; {@link #close} takes it down gracefully in reverse.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /**
     * How long a deploy's warm-up may run the guest on each worker: refusing an unknown call takes the SDK's
     * dispatcher microseconds, so only a hostile guest comes near it, and it holds the workers no longer.
     */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final VcpuBackend backend;
    private final MemoryBudget budget;
    /** The configured tokens, hashed once for every front that checks them (REST, event bus, forwarded calls). */
    private final Tokens tokens;
    private final List<String> fronts = new ArrayList<>();
    private ClusteredVertx clustered;
    private ClusterNode cluster;
    private SnapshotCatalog catalog;
    private SnapshotPublisher publisher;
    private PullOnMiss misses;
    private WorkerPool pool;
    private SessionManager sessions;
    private int port;
    private HttpVerticle http;
    private volatile boolean ready;
    /** Completed when the start's warm-up of the stored snapshots ({@link #warmStored}) is over. */
    private final Promise<Void> warmedAtStart = Promise.promise();
    private Promise<Void> closed;

    private Gateway(Vertx vertx, GatewayConfig config, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.backend = config.vcpuBackend();
        this.budget = MemoryBudget.of(config.memoryBudget());
        this.tokens = Tokens.of(config);
    }

    /**
     * Starts a node; call it from outside Vert.x (a main thread or a test). With cluster settings, Vert.x is
     * clustered on Hazelcast first; without them no Hazelcast class is even loaded.
     */
    public static Future<Gateway> start(GatewayConfig config) {
        GatewayMetrics metrics = new GatewayMetrics();
        VertxBuilder builder = Vertx.builder()
                .with(new VertxOptions().setPreferNativeTransport(true)
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry()));
        if (config.cluster().isEmpty()) {
            return start(builder.build(), null, config, metrics);
        }
        return ClusteredVertx.start(config.cluster().get(), builder)
                .compose(clustered -> start(clustered.vertx(), clustered, config, metrics));
    }

    private static Future<Gateway> start(Vertx vertx, ClusteredVertx clustered, GatewayConfig config,
            GatewayMetrics metrics) {
        Promise<Gateway> started = Promise.promise(); // bound to no context: it outlives a Vert.x closed on failure
        try {
            Gateway gateway = new Gateway(vertx, config, metrics);
            gateway.clustered = clustered;
            gateway.boot().onComplete(ar -> {
                if (ar.succeeded()) {
                    started.complete(gateway);
                } else {
                    vertx.close();
                    started.fail(ar.cause());
                }
            });
        } catch (RuntimeException e) {
            vertx.close();
            started.fail(e);
        }
        return started.future();
    }

    private Future<Void> boot() {
        GuestLog guestLog = new MeteredGuestLog(metrics);
        SnapshotBuilder builder = new SnapshotBuilder(GatewayHostFunctions.all(), backend,
                config.sandboxConfig().withCallTimeout(config.maxDeadline()), guestLog, budget);
        return vertx.executeBlocking(() -> StoreSetup.open(config, builder))
                .compose(store -> {
                    catalog = new SnapshotCatalog(vertx, store);
                    return WorkerPool.deploy(vertx, config.workers(), new SandboxFactory(GatewayHostFunctions.all(),
                            backend, config.sandboxConfig(), guestLog), budget, CacheLimits.perWorker(
                                    config.sandboxesPerWorker(), config.idleSandboxMemory(), config.workers()),
                            config.maxQueue(), config.maxDeadline().plusSeconds(10), config.pinWorkers());
                })
                .compose(workers -> {
                    pool = workers;
                    // The cluster joins below, after the local calls exist: the publisher finds it when it announces
                    publisher = new SnapshotPublisher(vertx, catalog, (tag, digest) -> {
                        if (cluster != null) {
                            cluster.tagged(tag, digest);
                        }
                    }, entry -> pool.warm(entry, WARM_UP_LIMIT));
                    misses = new PullOnMiss(vertx, catalog, publisher, config.pullOnMiss(), config.registryAuth(),
                            config.defaultDeadline(), metrics);
                    LocalCalls local = new LocalCalls(catalog, misses, pool);
                    return clustered == null ? Future.succeededFuture(local) : vertx.executeBlocking(() -> {
                        cluster = ClusterNode.create(clustered, config, new BusAuth(tokens), local, metrics);
                        return local;
                    });
                })
                .compose(local -> {
                    Deadlines deadlines = new Deadlines(config.defaultDeadline(), config.maxDeadline());
                    HeldRefusals refusals = new HeldRefusals(vertx);
                    Dispatcher dispatcher = new Dispatcher(local, cluster == null ? null : cluster.router(), deadlines,
                            metrics, refusals);
                    sessions = new SessionManager(vertx, catalog, publisher, pool, refusals, deadlines, metrics,
                            config.sessionTtl(), config.maxSessions(), cluster == null ? null : cluster.node());
                    registerGauges(StoreSize.watch(vertx, catalog.store().directory()));
                    Optional<ClusterNode> node = Optional.ofNullable(cluster);
                    SessionRequests sessionRequests = new SessionRequests(sessions, node, misses);
                    SnapshotQueries snapshots = new SnapshotQueries(vertx, catalog, node);
                    Api api = new Api(config, catalog, builder, publisher, pool, dispatcher, sessions,
                            sessionRequests, snapshots, metrics, budget, backend.name(), () -> ready, node);
                    BusAuth busAuth = new BusAuth(tokens);
                    return vertx.deployVerticle(new EventBusFront(dispatcher, sessionRequests, snapshots, busAuth,
                                    node.map(ClusterNode::node)))
                            .compose(id -> {
                                fronts.add(id);
                                return deployHttp(api);
                            })
                            .compose(v -> cluster == null ? Future.succeededFuture()
                                    : cluster.announce(port, dispatcher,
                                            sessionRequests::apply))
                            .compose(v -> {
                                ready = true;
                                return vertx.executeBlocking(() -> catalog.store().tags());
                            })
                            .compose(tags -> WarmUp.run(vertx, config.host(), port,
                                    config.ownToken(), tags.stream().findFirst())
                                    .compose(v -> tags.stream().findFirst().map(this::prepareSandboxes)
                                            .orElse(Future.succeededFuture()))
                                    .onSuccess(v -> warmStored(tags.stream().limit(config.warmAtStart()).iterator())));
                });
    }

    /**
     * Each worker maps a sandbox of {@code tag} (no guest code runs), so that the first call finds one and the
     * code that makes sandboxes has run once: at start. A failure only costs the first call that time: logged,
     * ignored.
     */
    private Future<Void> prepareSandboxes(String tag) {
        return catalog.lookup(tag).compose(pool::prepare)
                .otherwise(e -> {
                    LOG.warn("preparing sandboxes of {}: {}", tag, Errors.describe(e));
                    return null;
                });
    }

    /**
     * After start, the stored snapshots warmed one after another as a deploy warms its own (on the worker their
     * calls go to), so that the first call of each after a restart pays what later ones do: a JavaScript
     * snapshot's first call would otherwise translate the engine's code (BENCHMARKS.md, "JavaScript functions").
     * In the background, after the node is ready; a failure is logged and costs only that snapshot's first call.
     */
    private void warmStored(Iterator<String> tags) {
        if (!tags.hasNext() || closed != null) {
            warmedAtStart.tryComplete();
            return;
        }
        String tag = tags.next();
        catalog.lookup(tag).compose(entry -> pool.warm(entry, WARM_UP_LIMIT))
                .onFailure(e -> LOG.warn("warming up {} at start: {}", tag, Errors.describe(e)))
                .onComplete(ar -> warmStored(tags));
    }

    /**
     * One HTTP verticle per core, all on one port. Port 0 becomes -1: Vert.x then binds one free port that every
     * instance shares (with 0, each would bind its own).
     */
    private Future<Void> deployHttp(Api api) {
        int bind = config.port() == 0 ? -1 : config.port();
        List<HttpVerticle> instances = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            instances.add(new HttpVerticle(api, tokens, bind));
        }
        return Future.all(instances.stream().map(v -> vertx.deployVerticle(v).onSuccess(fronts::add)).toList())
                .onSuccess(v -> {
                    http = instances.get(0);
                    port = http.actualPort();
                })
                .mapEmpty();
    }

    private void registerGauges(StoreSize store) {
        metrics.gauge("snapgate.calls.in.flight", "calls admitted and not finished", () -> pool.inFlight());
        metrics.gauge("snapgate.queue.depth", "calls waiting for a worker",
                () -> Math.max(0, pool.inFlight() - pool.busy()));
        metrics.gauge("snapgate.workers.busy", "workers running a job", () -> pool.busy());
        metrics.gauge("snapgate.tenants.active", "tenants with calls running or queued (fair admission)",
                () -> pool.tenants());
        for (Refusal reason : Refusal.values()) {
            metrics.counter("snapgate.admission.refused", "calls refused OVERLOADED, by reason", "reason",
                    reason.label(), () -> pool.refused(reason));
        }
        Map<String, ToLongFunction<Worker>> turnCounts = Map.of("turns", Worker::turns, "calls", Worker::turnCalls);
        turnCounts.forEach((counted, count) -> metrics.counter("snapgate.worker.turns", "turns of several queued"
                + " stateless calls a worker handed to its sandboxes together (counted=\"turns\"), and the calls that"
                + " ran in them (counted=\"calls\")", "counted", counted,
                () -> pool.workers().stream().mapToLong(count).sum()));
        metrics.gauge("snapgate.sandboxes.mapped", "sandboxes mapped by the workers", () -> pool.mapped());
        metrics.gauge("snapgate.sandboxes.cached", "idle stateless sandboxes the workers keep for the next call"
                + " (their bytes: snapgate_memory_reserved_bytes{use=\"cachedSandboxes\"})", () -> pool.cached());
        metrics.gauge("snapgate.sandboxes.cached.vcpus", "of the cached sandboxes, those holding a vCPU (emulated:"
                + " an engine with the guest's translated code; their bytes:"
                + " snapgate_memory_reserved_bytes{use=\"cachedVcpus\"})", () -> pool.cachedWithVcpu());
        metrics.gauge("snapgate.sessions.open", "open sessions", () -> sessions.size());
        metrics.gauge("snapgate.store.bytes", "bytes in the snapshot store directory", store::bytes);
        metrics.gauge("snapgate.store.free.bytes", "bytes free for the store on its file system", store::free);
        metrics.gauge("snapgate.store.up", "1 while the store's index can be read, else 0",
                () -> catalog.unavailable().isEmpty() ? 1 : 0);
        metrics.gauge("snapgate.memory.budget.bytes", "the node's memory budget (memoryBudget)", budget::budget);
        for (MemoryUse use : MemoryUse.values()) {
            metrics.gauge("snapgate.memory.reserved.bytes", "bytes reserved in the memory budget, by use",
                    use.label(), () -> budget.reserved(use));
        }
    }

    /**
     * Stops taking calls (readiness goes down, servers stop accepting, WebSockets without calls close), lets calls
     * in flight finish within the grace period, then stops the guests still running, whose callers are answered
     * SHUTTING_DOWN before their connections close; ends the sessions, closes every sandbox on its worker thread,
     * unmaps the snapshots and closes Vert.x. One grace period for all of it; each step runs even when an earlier
     * one failed. Idempotent.
     */
    public synchronized Future<Void> close() {
        if (closed != null) {
            return closed.future();
        }
        ready = false;
        closed = Promise.promise(); // bound to no context: Vert.x is gone when it completes
        if (cluster != null) {
            cluster.close();
        }
        long start = System.nanoTime();
        LOG.info("stopping: no new calls; waiting up to {} ms for the {} calls in flight and {} open sessions",
                config.gracePeriod().toMillis(), pool.inFlight(), sessions.size());
        Future<?> servers = Future.join(fronts.stream().map(vertx::undeploy).toList());
        Future<?> calls = pool.drain(config.gracePeriod());
        Future.join(servers, calls)
                .eventually(() -> sessions.closeAll())
                .eventually(() -> pool.close())
                .eventually(() -> {
                    catalog.close();
                    return Future.succeededFuture();
                })
                .onComplete(ar -> vertx.close().onComplete(done -> {
                    LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
                    closed.handle(done);
                }));
        return closed.future();
    }

    /** The port the HTTP front listens on. */
    public int port() {
        return port;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The routes the HTTP front serves (each instance has the same): what GET /v1/openapi.json describes. */
    public List<Route> routes() {
        return http.routes();
    }

    public String backend() {
        return backend.name();
    }

    /** This node's cluster id, or empty on a node on its own. */
    public Optional<String> node() {
        return Optional.ofNullable(cluster).map(ClusterNode::node);
    }

    public List<Worker> workers() {
        return pool.workers();
    }

    /**
     * Completes once the snapshots stored before the start are warmed ({@code warmAtStart} of them, in the
     * background after the node is ready), each with success or not; for tests that count cached sandboxes.
     */
    public Future<Void> warmedAtStart() {
        return warmedAtStart.future();
    }
}
