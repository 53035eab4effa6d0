package io.snapgate.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A clustered Vert.x on Hazelcast, started always with an explicit config (never the multicast default), and
 * the Hazelcast member under it, for the raw maps Vert.x's AsyncMap would wrap.
 */
public record ClusteredVertx(Vertx vertx, HazelcastInstance hazelcast) {

    /** Joins the cluster with a Vert.x from {@code builder} (options and metrics already set). */
    public static Future<ClusteredVertx> start(ClusterSettings settings, VertxBuilder builder) {
        HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigs.build(settings));
        return builder.withClusterManager(manager).buildClustered()
                .map(vertx -> new ClusteredVertx(vertx, manager.getHazelcastInstance()));
    }
}
