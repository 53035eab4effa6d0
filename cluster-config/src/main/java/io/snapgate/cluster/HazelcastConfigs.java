package io.snapgate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.YamlConfigBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the Hazelcast {@link Config} for clustered Vert.x from {@link ClusterSettings}. */
public final class HazelcastConfigs {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastConfigs.class);

    /** Vert.x's event-bus subscriptions multimap, defined by vertx-hazelcast's default-cluster.xml. */
    public static final String VERTX_SUBS = "__vertx.subs";

    /** System-level Hazelcast properties of the default config, as measured to work on this kind of machine. */
    public static final Map<String, String> DEFAULT_PROPERTIES = Map.of(
            "hazelcast.phone.home.enabled", "false",
            "hazelcast.socket.bind.any", "false",
            "hazelcast.wait.seconds.before.join", "0",
            "hazelcast.tcp.join.port.try.count", "20",
            "hazelcast.max.no.heartbeat.seconds", "10",
            "hazelcast.heartbeat.interval.seconds", "1");

    private HazelcastConfigs() {
    }

    /** The user's file when {@code settings.userConfig()} is set, else the TCP-IP default. */
    public static Config build(ClusterSettings settings) {
        return settings.userConfig().map(HazelcastConfigs::load).orElseGet(() -> defaults(settings));
    }

    /**
     * vertx-hazelcast's own default-cluster.xml, for Vert.x's maps (__vertx.subs, __vertx.haInfo,
     * __vertx.nodeInfo). Read from the jar itself: ConfigUtil.loadConfig() would first take a
     * -Dvertx.hazelcast.config file or any cluster.xml on the class path, and return null when it fails.
     */
    private static Config vertxDefault() {
        try (InputStream in = HazelcastClusterManager.class.getClassLoader()
                .getResourceAsStream("default-cluster.xml")) {
            if (in == null) {
                throw new IllegalStateException("default-cluster.xml of vertx-hazelcast is not on the class path");
            }
            return new XmlConfigBuilder(in).build();
        } catch (IOException e) {
            throw new UncheckedIOException("read vertx-hazelcast's default-cluster.xml", e);
        }
    }

    private static Config defaults(ClusterSettings s) {
        Config config = vertxDefault();
        config.setClusterName(s.clusterName());
        DEFAULT_PROPERTIES.forEach(config::setProperty);
        config.getMetricsConfig().setEnabled(false);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(s.port()).setPortAutoIncrement(s.portAutoIncrement());
        network.getInterfaces().setEnabled(true).clear().addInterface(s.interfaceAddress());

        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(s.members());
        return config;
    }

    private static Config load(Path file) {
        String name = file.toString();
        try {
            Config config = "xml".equals(ClusterSettings.configFormat(file))
                    ? new XmlConfigBuilder(name).build()
                    : new YamlConfigBuilder(name).build();
            if (!config.getMultiMapConfigs().containsKey(VERTX_SUBS)) {
                LOG.warn("hazelcast config {} defines no '{}' multimap; Vert.x will use Hazelcast's"
                        + " defaults for it (see vertx-hazelcast's default-cluster.xml)", file, VERTX_SUBS);
            }
            return config;
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("hazelcast config " + file + ": no such file", e);
        }
    }
}
