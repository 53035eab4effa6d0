package io.snapgate.gateway.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.cluster.NodeGone;
import io.snapgate.client.wire.Addresses;
import io.snapgate.client.wire.SessionIds;
import io.snapgate.cluster.ClusteredVertx;
import io.snapgate.gateway.auth.BusAuth;
import io.snapgate.gateway.auth.Grant;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.dispatch.CallRouter;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.LocalCalls;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.cluster.HazelcastSnapshotIndex;
import io.snapgate.store.index.Holder;
import io.snapgate.store.index.SnapshotIndex;
import io.snapgate.store.index.StoreRegistration;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's part in the cluster: the shared index, the router, the loads, the calls between nodes and
 * the local copies. Made when the clustered Vert.x is up ({@link #create}); {@link #announce} then registers the
 * store's snapshots under the node's URL, takes calls from other nodes and starts publishing the load.
 */
public final class ClusterNode {
    /** How often the node re-registers what its store holds (catching a gc or another writer of the store). */
    private static final long RECONCILE_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final Vertx vertx;
    private final SnapshotIndex index;
    private final LocalCalls local;
    private final NodeLoads loads;
    private final RemoteCalls remote;
    private final LocalCopies copies;
    private final ClusterRouter router;
    private final String host;
    private final long maxDeadlineMs;
    private StoreRegistration registration;
    private long reconciler = -1;

    private ClusterNode(ClusteredVertx clustered, GatewayConfig config, BusAuth auth, LocalCalls local,
            GatewayMetrics metrics) {
        this.vertx = clustered.vertx();
        this.index = HazelcastSnapshotIndex.on(clustered.hazelcast());
        this.maxDeadlineMs = config.maxDeadline().toMillis();
        this.host = clustered.hazelcast().getCluster().getLocalMember().getAddress().getHost();
        this.local = local;
        this.loads = new NodeLoads(vertx);
        this.remote = new RemoteCalls(vertx, config.ownToken(), auth);
        this.copies = new LocalCopies(vertx, local.catalog(), index,
                new BlobFetcher(config.ownToken(), metrics), config.shareFiles(),
                config.keepCopies());
        this.router = new ClusterRouter(index, local, loads, remote, copies, metrics);
        index.onNodeLeft(node -> {
            loads.forget(node);
            remote.nodeLeft(node);
            vertx.eventBus().publish(Addresses.LEFT, new JsonObject().put("node", node)); // for clients' requests
        });
        metrics.gauge("snapgate.cluster.members", "members of the cluster this node sees",
                () -> index.members().size());
    }

    /** Blocking: joins this node's index to the cluster's; {@code auth} checks the calls other nodes forward. */
    public static ClusterNode create(ClusteredVertx clustered, GatewayConfig config, BusAuth auth, LocalCalls local,
            GatewayMetrics metrics) {
        return new ClusterNode(clustered, config, auth, local, metrics);
    }

    public CallRouter router() {
        return router;
    }

    public String node() {
        return index.node();
    }

    /**
     * Registers the store's snapshots as held at this node's URL (the cluster address and the HTTP
     * {@code port}), takes calls and operations on this node's sessions ({@code sessions}: a session message's
     * answer, given its grant) from other nodes, publishes the load.
     */
    public Future<Void> announce(int port, Dispatcher dispatcher,
            BiFunction<JsonObject, Grant, Future<JsonObject>> sessions) {
        String url = "http://" + host + ":" + port;
        registration = new StoreRegistration(local.catalog().store(), index, url);
        copies.registerWith(registration);
        index.onTagRemoved((tag, was) -> vertx.executeBlocking(() -> {
            registration.removedElsewhere(tag, was);
            return null;
        }, false).onFailure(t -> LOG.warn("removing tag {} here too failed: {}", tag, t.getMessage())));
        return vertx.executeBlocking(() -> registration.reconcile(true), false).map(held -> {
            LOG.info("node {} at {} joined the cluster ({} members), holding {} snapshots", index.node(), url,
                    index.members().size(), held);
            remote.serve(index.node(), dispatcher, sessions);
            loads.start(index.node(), url, local::load);
            reconciler = vertx.setPeriodic(RECONCILE_MS,
                    id -> vertx.executeBlocking(() -> registration.reconcile(false), false)
                            .onFailure(t -> LOG.warn("re-registration of the store failed: {}", t.getMessage())));
            return null;
        });
    }

    /**
     * A session operation for a session another node owns, run there under the caller's {@code tenant} (null: the
     * session's snapshot); or 410 when that node left the cluster. Empty when the session lives here (or its id
     * names no node).
     */
    public Optional<Future<JsonObject>> onOwner(String sessionId, JsonObject op, String tenant) {
        String owner = SessionIds.node(sessionId);
        if (owner == null || owner.equals(index.node())) {
            return Optional.empty();
        }
        if (!index.members().contains(owner)) {
            return Optional.of(Future.failedFuture(gone(sessionId, owner)));
        }
        return Optional.of(remote.session(owner, op, tenant, maxDeadlineMs)
                .recover(t -> Future.failedFuture(t instanceof NodeGone ? gone(sessionId, owner) : t)));
    }

    private static GatewayException gone(String sessionId, String owner) {
        return new GatewayException(ErrorCode.SESSION_GONE, "session " + sessionId + " lived on node " + owner
                + ", which left the cluster; its state is lost: open a new session");
    }

    /** The reference to open a session with here: the digest once this node can run what a cluster tag names. */
    public Future<String> localRef(String ref) {
        Optional<SnapshotInfo> info = router.resolve(ref);
        if (info.isEmpty()) {
            return Future.succeededFuture(ref);
        }
        String digest = info.get().manifestDigest();
        return copies.ensure(info.get()).map(v -> digest).recover(t -> Future.failedFuture(
                new GatewayException(ErrorCode.UNAVAILABLE, "snapshot " + digest
                        + " cannot be made to run on this node: " + t.getMessage())));
    }

    /** Blocking: after a save or receive through this node. */
    public void tagged(String tag, String digest) {
        registration.tagged(tag, digest);
    }

    /** Blocking: after a tag was deleted through this node. */
    public void untagged(String tag) {
        registration.untagged(tag);
    }

    /** The snapshot a tag or digest names in the cluster. */
    public Optional<SnapshotInfo> resolve(String ref) {
        return router.resolve(ref);
    }

    /** Every cluster tag with its snapshot, sorted by tag. */
    public Map<String, SnapshotInfo> tags() {
        return index.tags();
    }

    /** {@code [{node, url, path, size, verified}]} of a snapshot. */
    public JsonArray holders(String digest) {
        JsonArray array = new JsonArray();
        for (Holder h : index.holders(digest)) {
            array.add(new JsonObject().put("node", h.node()).put("url", h.url()).put("path", h.path())
                    .put("size", h.size()).put("verified", h.verified()));
        }
        return array;
    }

    /** {@code {node, members: [...]}} for /health. */
    public JsonObject health() {
        List<String> members = index.members();
        return new JsonObject().put("node", index.node()).put("size", members.size())
                .put("members", new JsonArray(members));
    }

    /** Stops taking calls from other nodes and publishing; the index entries go when the member leaves. */
    public void close() {
        if (reconciler >= 0) {
            vertx.cancelTimer(reconciler);
        }
        loads.stop();
        remote.stop();
        index.close();
    }
}
