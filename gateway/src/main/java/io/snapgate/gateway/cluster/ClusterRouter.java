package io.snapgate.gateway.cluster;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.cluster.GatewayLoads;
import io.snapgate.client.cluster.NodeGone;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.CallRouter;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.JsonArguments;
import io.snapgate.gateway.dispatch.LocalCalls;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.snapshot.FunctionTable;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.index.SnapshotIndex;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a stateless call runs in the cluster. The snapshot and its function table come from the index, so a
 * bad call is refused on the node it reached. It runs here when this node has the snapshot (its store, or a
 * holder's file mapped in place) and a worker is free, or no holder is less loaded; else it goes to the
 * least-loaded holder over the event bus, and if that node dies before answering, once more elsewhere. A node
 * without the snapshot starts getting a copy in the background and meanwhile sends the calls to a holder.
 */
final class ClusterRouter implements CallRouter {
    static final String REMOTE = "snapgate.calls.remote";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouter.class);

    private final SnapshotIndex index;
    private final LocalCalls local;
    private final NodeLoads loads;
    private final RemoteCalls remote;
    private final LocalCopies copies;
    private final GatewayMetrics metrics;
    private final Map<String, FunctionTable> tables = new ConcurrentHashMap<>();

    ClusterRouter(SnapshotIndex index, LocalCalls local, NodeLoads loads, RemoteCalls remote, LocalCopies copies,
            GatewayMetrics metrics) {
        this.index = index;
        this.local = local;
        this.loads = loads;
        this.remote = remote;
        this.copies = copies;
        this.metrics = metrics;
    }

    @Override
    public Future<CallResult> route(CallRequest request, long deadline) {
        Optional<SnapshotInfo> known = resolve(request.snapshot());
        if (known.isEmpty()) {
            return local.call(request, deadline); // unknown to the cluster: this node's store answers or refuses
        }
        SnapshotInfo info = known.get();
        String digest = info.manifestDigest();
        FunctionTable table = tables.computeIfAbsent(digest,
                d -> FunctionTable.of(d, Snapshot.signatures(info.config().functions())));
        JsonArguments.coerce(table.function(request.function()), request.args()); // refuses a bad call here
        CallRequest byDigest = new CallRequest(digest, request.function(), request.args(), request.deadlineMs(),
                request.tenant());
        boolean here = local.catalog().holds(digest);
        if (!here) {
            copies.ensure(info);
        }
        List<GatewayLoads.Heard> others = holders(digest, null);
        if (here && (local.idleWorker() || others.isEmpty() || others.get(0).load() >= local.load())) {
            return local.call(byDigest, deadline);
        }
        if (others.isEmpty()) {
            return copies.ensure(info)
                    .recover(t -> Future.failedFuture(new GatewayException(ErrorCode.UNAVAILABLE, "no live node holds "
                            + digest + " and no copy could be made here: " + t.getMessage())))
                    .compose(v -> local.call(byDigest, deadline));
        }
        return remote(others.get(0).node(), byDigest, deadline, true);
    }

    /** The snapshot a tag or digest names in the cluster, if the index has it. */
    Optional<SnapshotInfo> resolve(String ref) {
        Optional<SnapshotInfo> tagged = index.tag(ref);
        if (tagged.isPresent() || !ref.startsWith("sha256:")) {
            return tagged;
        }
        return index.tags().values().stream().filter(i -> i.manifestDigest().equals(ref)).findFirst();
    }

    /** Live holders other than this node and {@code except}, least loaded first. */
    private List<GatewayLoads.Heard> holders(String digest, String except) {
        return index.holders(digest).stream()
                .filter(h -> !h.node().equals(index.node()) && !h.node().equals(except))
                .flatMap(h -> loads.live(h.node()).stream())
                .sorted(Comparator.comparingDouble(GatewayLoads.Heard::load))
                .toList();
    }

    private Future<CallResult> remote(String node, CallRequest request, long deadline, boolean retry) {
        return remote.call(node, request, deadline)
                .andThen(r -> metrics.count(REMOTE, "calls this node sent to another node",
                        r.failed() && r.cause() instanceof NodeGone ? "node_gone" : Dispatcher.outcome(r)))
                .recover(t -> {
                    if (!(t instanceof NodeGone gone)) {
                        return Future.failedFuture(t);
                    }
                    if (!retry) {
                        return Future.failedFuture(new GatewayException(ErrorCode.UNAVAILABLE, gone.getMessage()
                                + ", and so did the node the call was retried on"));
                    }
                    LOG.info("{} (a call to {}); retrying once elsewhere", gone.getMessage(), request.snapshot());
                    if (local.catalog().holds(request.snapshot())) {
                        return local.call(request, deadline);
                    }
                    List<GatewayLoads.Heard> rest = holders(request.snapshot(), node);
                    if (rest.isEmpty()) {
                        return Future.failedFuture(new GatewayException(ErrorCode.UNAVAILABLE, gone.getMessage()
                                + " and no other live node holds " + request.snapshot()));
                    }
                    return remote(rest.get(0).node(), request, deadline, false);
                });
    }
}
