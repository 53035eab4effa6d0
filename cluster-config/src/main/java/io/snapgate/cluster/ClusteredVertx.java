package io.snapgate.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Starts a clustered Vert.x on Hazelcast, always with an explicit config (never the multicast default). */
public final class ClusteredVertx {

    private ClusteredVertx() {
    }

    public static Future<Vertx> start(ClusterSettings settings, VertxOptions options) {
        HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigs.build(settings));
        return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
    }
}
