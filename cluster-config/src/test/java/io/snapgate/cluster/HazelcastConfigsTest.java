package io.snapgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds Config objects only: no Hazelcast instance is started, nothing touches the network. */
class HazelcastConfigsTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultIgnoresVertxHazelcastConfigOverrides(@TempDir Path dir) throws IOException {
        Path other = dir.resolve("other.xml");
        Files.writeString(other, "<hazelcast xmlns=\"http://www.hazelcast.com/schema/config\">"
                + "<cluster-name>elsewhere</cluster-name></hazelcast>");
        String before = System.setProperty("vertx.hazelcast.config", other.toString());
        try {
            Config config = HazelcastConfigs.build(ClusterSettings.defaults());
            assertThat(config.getClusterName()).isEqualTo("snapgate");
            assertThat(config.getMultiMapConfigs()).containsKey(HazelcastConfigs.VERTX_SUBS);
        } finally {
            if (before == null) {
                System.clearProperty("vertx.hazelcast.config");
            } else {
                System.setProperty("vertx.hazelcast.config", before);
            }
        }
    }

    @Test
    void defaultSettings() {
        ClusterSettings s = ClusterSettings.defaults();
        assertThat(s.clusterName()).isEqualTo("snapgate");
        assertThat(s.members()).containsExactly("127.0.0.1");
        assertThat(s.interfaceAddress()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(5701);
        assertThat(s.portAutoIncrement()).isTrue();
        assertThat(s.userConfig()).isEmpty();
    }

    @Test
    void defaultConfigJoinsOverTcpIpOnLoopbackOnly() {
        Config config = HazelcastConfigs.build(ClusterSettings.defaults());
        assertThat(config.getClusterName()).isEqualTo("snapgate");

        NetworkConfig network = config.getNetworkConfig();
        assertThat(network.getPort()).isEqualTo(5701);
        assertThat(network.isPortAutoIncrement()).isTrue();
        assertThat(network.getInterfaces().isEnabled()).isTrue();
        assertThat(network.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");

        JoinConfig join = network.getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
        assertThat(config.getMetricsConfig().isEnabled()).isFalse();
    }

    @Test
    void defaultConfigSetsEveryDocumentedProperty() {
        Config config = HazelcastConfigs.build(ClusterSettings.defaults());
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
        assertThat(config.getProperty("hazelcast.tcp.join.port.try.count")).isEqualTo("20");
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
        assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    }

    @Test
    void defaultConfigKeepsVertxOwnMaps() {
        Config config = HazelcastConfigs.build(ClusterSettings.defaults());
        MultiMapConfig subs = config.getMultiMapConfigs().get("__vertx.subs");
        assertThat(subs).isNotNull();
        assertThat(subs.getBackupCount()).isEqualTo(1);
        assertThat(subs.getValueCollectionType()).isEqualTo(MultiMapConfig.ValueCollectionType.SET);
        assertThat(config.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
    }

    @Test
    void customSettingsAreApplied() {
        ClusterSettings s = ClusterSettings.defaults()
                .withClusterName("prod-gw")
                .withMembers(List.of("10.0.0.1", "10.0.0.2:5801", "[fe80::1]:5701"))
                .withInterface("10.0.0.9")
                .withPort(5801, false);
        Config config = HazelcastConfigs.build(s);
        assertThat(config.getClusterName()).isEqualTo("prod-gw");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.9");
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("10.0.0.1", "10.0.0.2:5801", "[fe80::1]:5701");
    }

    @Test
    void eachBuildIsIndependent() {
        Config a = HazelcastConfigs.build(ClusterSettings.defaults().withClusterName("a"));
        Config b = HazelcastConfigs.build(ClusterSettings.defaults().withClusterName("b"));
        assertThat(a).isNotSameAs(b);
        assertThat(a.getClusterName()).isEqualTo("a");
    }

    @Test
    void rejectsEmptyClusterName() {
        assertThatThrownBy(() -> ClusterSettings.defaults().withClusterName(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster name must not be empty");
    }

    @Test
    void rejectsPortOutOfRange() {
        assertThatThrownBy(() -> ClusterSettings.defaults().withPort(0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port 0 out of range 1-65535");
        assertThatThrownBy(() -> ClusterSettings.defaults().withPort(65536, true))
                .hasMessage("port 65536 out of range 1-65535");
    }

    @Test
    void rejectsMemberPortRangeNamingIt() {
        assertThatThrownBy(() -> ClusterSettings.defaults().withMembers(List.of("10.0.0.1:5701-5710")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("member '10.0.0.1:5701-5710': port ranges are not supported,"
                        + " list each member as host or host:port");
    }

    @Test
    void rejectsBadMembers() {
        assertThatThrownBy(() -> ClusterSettings.defaults().withMembers(List.of()))
                .hasMessage("members must not be empty");
        assertThatThrownBy(() -> ClusterSettings.defaults().withMembers(List.of("")))
                .hasMessage("member must not be empty");
        assertThatThrownBy(() -> ClusterSettings.defaults().withMembers(List.of("h:abc")))
                .hasMessage("member 'h:abc': invalid port 'abc'");
        assertThatThrownBy(() -> ClusterSettings.defaults().withMembers(List.of("h:70000")))
                .hasMessage("member 'h:70000' port 70000 out of range 1-65535");
    }

    @Test
    void rejectsEmptyInterface() {
        assertThatThrownBy(() -> ClusterSettings.defaults().withInterface(""))
                .hasMessage("interface address must not be empty");
    }

    @Test
    void rejectsUnknownConfigExtension() throws Exception {
        Path file = Files.writeString(dir.resolve("hazelcast.json"), "{}");
        assertThatThrownBy(() -> ClusterSettings.defaults().withUserConfig(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hazelcast config " + file + ": unknown extension (expected .xml, .yaml or .yml)");
    }

    @Test
    void rejectsMissingConfigFile() {
        Path file = dir.resolve("missing.xml");
        assertThatThrownBy(() -> ClusterSettings.defaults().withUserConfig(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hazelcast config " + file + ": no such file");
    }

    @Test
    void nullUserConfigMeansNone() {
        ClusterSettings s = new ClusterSettings("x", List.of("127.0.0.1"), "127.0.0.1", 5701, true, null);
        assertThat(s.userConfig()).isEqualTo(Optional.empty());
    }

    @Test
    void userXmlReplacesDefaultWholesale() throws Exception {
        Path file = Files.writeString(dir.resolve("hazelcast.xml"), """
                <hazelcast xmlns="http://www.hazelcast.com/schema/config">
                    <cluster-name>from-xml</cluster-name>
                    <network>
                        <port auto-increment="false">6100</port>
                        <join>
                            <multicast enabled="false"/>
                            <tcp-ip enabled="true"><member>10.9.9.9</member></tcp-ip>
                        </join>
                    </network>
                </hazelcast>
                """);
        assertUserConfigWon(HazelcastConfigs.build(settingsWith(file)), "from-xml");
    }

    @Test
    void userYamlReplacesDefaultWholesale() throws Exception {
        Path file = Files.writeString(dir.resolve("hazelcast.yml"), """
                hazelcast:
                    cluster-name: from-yaml
                    network:
                        port:
                            auto-increment: false
                            port: 6100
                        join:
                            multicast:
                                enabled: false
                            tcp-ip:
                                enabled: true
                                member-list:
                                    - 10.9.9.9
                """);
        assertUserConfigWon(HazelcastConfigs.build(settingsWith(file)), "from-yaml");
    }

    /** Our own settings deliberately differ from the file so a leak would show. */
    private static ClusterSettings settingsWith(Path file) {
        return ClusterSettings.defaults().withClusterName("ours").withMembers(List.of("127.0.0.2"))
                .withInterface("127.0.0.3").withPort(5999, true).withUserConfig(file);
    }

    private static void assertUserConfigWon(Config config, String clusterName) {
        assertThat(config.getClusterName()).isEqualTo(clusterName);
        NetworkConfig network = config.getNetworkConfig();
        assertThat(network.getPort()).isEqualTo(6100);
        assertThat(network.isPortAutoIncrement()).isFalse();
        assertThat(network.getInterfaces().isEnabled()).isFalse();
        assertThat(network.getInterfaces().getInterfaces()).isEmpty();
        assertThat(network.getJoin().getTcpIpConfig().getMembers()).containsExactly("10.9.9.9");
        assertThat(network.getJoin().getAutoDetectionConfig().isEnabled()).isTrue();
        HazelcastConfigs.DEFAULT_PROPERTIES.keySet()
                .forEach(key -> assertThat(config.getProperties()).doesNotContainKey(key));
        assertThat(config.getMetricsConfig().isEnabled()).isTrue();
        assertThat(config.getMultiMapConfigs()).doesNotContainKey("__vertx.subs");
    }
}
