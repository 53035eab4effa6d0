package io.snapgate.gateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A client application's clustered Vert.x in this JVM, joined to a {@link TestCluster} as client/README.md tells
 * an application to: the documented client/lite-member.xml, with the test cluster's name and members.
 */
record ClientMember(Vertx vertx, HazelcastInstance hazelcast) implements AutoCloseable {
    /** Where the file is from the gateway module (where tests run) or from the repository's root (a bench). */
    static final Path CONFIG = Files.exists(Path.of("..", "client", "lite-member.xml"))
            ? Path.of("..", "client", "lite-member.xml") : Path.of("client", "lite-member.xml");

    static ClientMember join(TestCluster cluster) {
        Config config;
        try {
            config = new XmlConfigBuilder(CONFIG.toString()).build();
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
        config.setClusterName(cluster.name());
        config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(cluster.members());
        HazelcastClusterManager manager = new HazelcastClusterManager(config);
        Vertx vertx = Vertx.builder().with(new VertxOptions()).withClusterManager(manager).buildClustered().await();
        return new ClientMember(vertx, manager.getHazelcastInstance());
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
