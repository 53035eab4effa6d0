package io.snapgate.gateway.session;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.wire.SessionIds;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.Deadlines;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.HeldRefusals;
import io.snapgate.gateway.dispatch.JsonArguments;
import io.snapgate.gateway.dispatch.JsonResults;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotJson;
import io.snapgate.gateway.snapshot.SnapshotPublisher;
import io.snapgate.gateway.worker.Sequence;
import io.snapgate.gateway.worker.Worker;
import io.snapgate.gateway.worker.WorkerJob;
import io.snapgate.gateway.worker.WorkerPool;
import io.snapgate.store.oci.Tag;
import io.snapgate.vmm.abi.FunctionSignature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's sessions: each pins a sandbox on one worker (its calls go there and keep their state), at most
 * {@code max} at a time; a timer ends those idle longer than the TTL. Ids are 128 random bits, after the node's
 * cluster id and a dot on a cluster node (so any node knows where a session lives). A session's operations run in
 * the order they arrived (a close after the calls sent before it), each admitted under its caller's tenant (its
 * token; null: the session's snapshot). Thread-safe.
 */
public final class SessionManager {
    private static final long SWEEP_MS = 1_000;

    private final Vertx vertx;
    private final SnapshotCatalog catalog;
    private final SnapshotPublisher publisher;
    private final WorkerPool pool;
    private final HeldRefusals refusals;
    private final Deadlines deadlines;
    private final GatewayMetrics metrics;
    private final Duration ttl;
    private final int max;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final long sweeper;
    private final String node;

    /** {@code node}: this node's cluster id, which then prefixes every session id; null on a node on its own. */
    public SessionManager(Vertx vertx, SnapshotCatalog catalog, SnapshotPublisher publisher, WorkerPool pool,
            HeldRefusals refusals, Deadlines deadlines, GatewayMetrics metrics, Duration ttl, int max, String node) {
        this.node = node;
        this.vertx = vertx;
        this.catalog = catalog;
        this.publisher = publisher;
        this.pool = pool;
        this.refusals = refusals;
        this.deadlines = deadlines;
        this.metrics = metrics;
        this.ttl = ttl;
        this.max = max;
        this.sweeper = vertx.setPeriodic(SWEEP_MS, id -> expire());
    }

    /** Opens a session on the snapshot, admitted under {@code tenant}; answers its JSON description. */
    public Future<JsonObject> open(String ref, String tenant) {
        if (reserved.incrementAndGet() > max) {
            reserved.decrementAndGet();
            return Future.failedFuture(new GatewayException(ErrorCode.OVERLOADED, "the node has its maximum of " + max
                    + " sessions open; end one or retry later", new JsonObject(), 1));
        }
        String id = SessionIds.of(node, HexFormat.of().formatHex(bytes()));
        long deadline = deadlines.deadline(System.nanoTime(), null);
        return catalog.lookup(ref)
                .compose(entry -> {
                    var worker = pool.pick(entry.digest());
                    Session session = new Session(id, entry, worker);
                    return admitted(worker, session.order, tenant(tenant, entry), state -> {
                        state.openSession(id, entry);
                        return null;
                    }, deadline).map(v -> session);
                })
                .andThen(r -> {
                    if (r.succeeded()) {
                        sessions.put(id, r.result());
                    } else {
                        reserved.decrementAndGet();
                    }
                })
                .map(s -> s.toJson(ttl));
    }

    /**
     * The operation admitted under {@code tenant} and run on the session's worker in its order; an OVERLOADED answer
     * held ({@link HeldRefusals}: the session's caller is a client, here or behind the node that forwarded it, and a
     * session has no other node to try).
     */
    private <T> Future<T> admitted(Worker worker, Sequence order, String tenant, WorkerJob<T> job, long deadline) {
        return refusals.hold(pool.submitInOrder(worker, order, tenant, job, deadline), deadline);
    }

    private byte[] bytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /** A call in the session: checked like a stateless one, run on the session's worker, state kept. */
    public Future<CallResult> call(String id, String function, JsonArray args, Long deadlineMs, String tenant) {
        long start = System.nanoTime();
        long deadline = deadlines.deadline(start, deadlineMs);
        Future<CallResult> result;
        try {
            Session s = session(id);
            s.touch();
            FunctionSignature signature = s.entry.function(function);
            Object[] values = JsonArguments.coerce(signature, args);
            result = admitted(s.worker, s.order, tenant(tenant, s.entry),
                            state -> state.sessionCall(id, signature.name(), values, deadline), deadline)
                    .map(r -> new CallResult(JsonResults.encode(signature.returns(), r.value()), r.durationMicros()))
                    .andThen(r -> s.touch());
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.andThen(r -> metrics.call(Dispatcher.outcome(r), System.nanoTime() - start));
    }

    /** Puts the session's sandbox back to its snapshot. */
    public Future<JsonObject> restore(String id, String tenant) {
        try {
            Session s = session(id);
            s.touch();
            long deadline = deadlines.deadline(System.nanoTime(), null);
            return admitted(s.worker, s.order, tenant(tenant, s.entry), state -> {
                state.restoreSession(id);
                return s.toJson(ttl);
            }, deadline);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Saves the session's sandbox as it is now as snapshot {@code tag} (replacing what the tag named), callable
     * like any other; answers its summary. The capture runs on the session's worker (a memory copy), the save
     * off it. The session goes on from the saved state: a restore comes back to it.
     */
    public Future<JsonObject> save(String id, String tag, String tenant) {
        try {
            new Tag(tag); // refuses a bad tag before any work
            Session s = session(id);
            s.touch();
            long deadline = deadlines.deadline(System.nanoTime(), null);
            return admitted(s.worker, s.order, tenant(tenant, s.entry), state -> state.snapshotSession(id),
                            deadline)
                    .compose(held -> vertx.executeBlocking(() -> {
                        try (held) {
                            return publisher.save(held.snapshot(), tag);
                        }
                    }, false))
                    .compose(entry -> publisher.publish(tag, entry))
                    .map(entry -> SnapshotJson.summary(entry, List.of(tag)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Ends the session: later requests find none, and its sandbox is closed once the operations that arrived
     * before have run.
     */
    public Future<Void> close(String id) {
        Session s = sessions.remove(id);
        if (s == null) {
            return Future.failedFuture(unknown(id));
        }
        reserved.decrementAndGet();
        return pool.housekeepInOrder(s.worker, s.order, state -> {
            state.closeSession(id);
            return null;
        });
    }

    /** Whom an operation is admitted under: the caller's tenant, else the session's snapshot. */
    private static String tenant(String tenant, SnapshotEntry entry) {
        return tenant != null ? tenant : entry.digest();
    }

    private Session session(String id) {
        Session s = sessions.get(id);
        if (s == null) {
            throw unknown(id);
        }
        return s;
    }

    private static GatewayException unknown(String id) {
        return new GatewayException(ErrorCode.UNKNOWN_SESSION, "no session " + id + " (it ended or expired)");
    }

    private void expire() {
        long now = System.nanoTime();
        sessions.values().stream().filter(s -> s.idleLongerThan(ttl, now)).map(s -> s.id).forEach(this::close);
    }

    public int size() {
        return sessions.size();
    }

    /** Ends every session (at shutdown). */
    public Future<Void> closeAll() {
        vertx.cancelTimer(sweeper);
        return Future.join(List.copyOf(sessions.keySet()).stream().map(this::close).toList()).mapEmpty();
    }
}
