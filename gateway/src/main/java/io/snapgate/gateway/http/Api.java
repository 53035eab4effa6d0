package io.snapgate.gateway.http;

import io.snapgate.gateway.cluster.ClusterNode;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.front.SessionRequests;
import io.snapgate.gateway.front.SnapshotQueries;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.session.SessionManager;
import io.snapgate.gateway.snapshot.SnapshotBuilder;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotPublisher;
import io.snapgate.gateway.worker.WorkerPool;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the HTTP routes work with: the node's shared services, made once by the gateway, and the cluster node
 * when clustered.
 */
public record Api(GatewayConfig config, SnapshotCatalog catalog, SnapshotBuilder builder, SnapshotPublisher publisher,
        WorkerPool pool, Dispatcher dispatcher, SessionManager sessions, SessionRequests sessionRequests,
        SnapshotQueries snapshots, GatewayMetrics metrics, MemoryBudget budget, String backend,
        BooleanSupplier ready, Optional<ClusterNode> cluster) {
}
