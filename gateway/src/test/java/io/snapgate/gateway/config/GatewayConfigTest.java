package io.snapgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.snapgate.cluster.ClusterSettings;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.sandbox.GuestLimits;
import io.snapgate.vmm.vcpu.kvm.KvmBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWhenNothingIsSet() {
        GatewayConfig c = GatewayConfig.from(Map.of());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.store()).isEqualTo(GatewayConfig.defaultStore());
        assertThat(c.examples()).isTrue();
        assertThat(c.defaultDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.bodyLimit()).isEqualTo(1 << 20);
        assertThat(c.tokens()).isEmpty();
    }

    @Test
    void clusterSettingsOnlyWithCluster() {
        assertThat(GatewayConfig.from(Map.of(ConfigKey.CLUSTER_NAME, new Setting("x", "test"))).cluster()).isEmpty();
        GatewayConfig c = GatewayConfig.from(GatewayConfig.fromEnvironment(Map.of("SNAPGATE_CLUSTER", "true",
                "SNAPGATE_CLUSTER_NAME", "prod", "SNAPGATE_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702",
                "SNAPGATE_CLUSTER_INTERFACE", "10.0.0.1", "SNAPGATE_CLUSTER_PORT", "6000",
                "SNAPGATE_CLUSTER_COPIES", "false")));
        ClusterSettings s = c.cluster().orElseThrow();
        assertThat(s.clusterName()).isEqualTo("prod");
        assertThat(s.members()).containsExactly("10.0.0.1", "10.0.0.2:5702");
        assertThat(s.interfaceAddress()).isEqualTo("10.0.0.1");
        assertThat(s.port()).isEqualTo(6000);
        assertThat(c.shareFiles()).isTrue();
        assertThat(c.keepCopies()).isFalse();
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.CLUSTER, new Setting("true", "--cluster"),
                ConfigKey.CLUSTER_MEMBERS, new Setting("10.0.0.1:5701-5703", "--cluster-members"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port ranges are not supported");
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"port\": 1111, \"workers\": 3, \"maxQueue\": 7}");
        GatewayConfig c = GatewayConfig.from(
                Map.of(ConfigKey.PORT, new Setting("3333", "--port")),
                GatewayConfig.fromEnvironment(Map.of("SNAPGATE_PORT", "2222", "SNAPGATE_WORKERS", "5")),
                ConfigFile.read(file));
        assertThat(c.port()).isEqualTo(3333);
        assertThat(c.workers()).isEqualTo(5);
        assertThat(c.maxQueue()).isEqualTo(7);
    }

    @Test
    void guestLimitsAndTheMemoryBudget() {
        GatewayConfig defaults = GatewayConfig.from(Map.of());
        assertThat(defaults.guestLimits()).isEqualTo(GuestLimits.DEFAULT);
        assertThat(defaults.memoryBudget()).isEqualTo(MemoryBudget.derived());
        assertThat(defaults.sandboxConfig().limits()).isEqualTo(GuestLimits.DEFAULT);
        GatewayConfig c = GatewayConfig.from(GatewayConfig.fromEnvironment(Map.of("SNAPGATE_LOG_LINES_PER_CALL", "0",
                "SNAPGATE_LOG_BYTES_PER_CALL", "64KiB", "SNAPGATE_HOST_CALLS_PER_CALL", "10",
                "SNAPGATE_MEMORY_BUDGET", "96GiB")));
        assertThat(c.guestLimits()).isEqualTo(new GuestLimits(0, 64 << 10, 10));
        assertThat(c.memoryBudget()).as("past the 2GiB other sizes stop at").isEqualTo(96L << 30);
        Setting zero = new Setting("0", "--memory-budget");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.MEMORY_BUDGET, zero)))
                .isInstanceOf(ConfigException.class).hasMessage("memoryBudget = \"0\" (from --memory-budget):"
                        + " expected a size from 1 byte to 1048576GiB (a number with an optional KiB, MiB or GiB)");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.HOST_CALLS_PER_CALL, new Setting("-1", "x"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hostCallsPerCall");
    }

    @Test
    void idleSandboxesTakeThreeQuartersOfTheMemoryBudgetUnlessToldAndNeverMore() {
        GatewayConfig defaults = GatewayConfig.from(Map.of(ConfigKey.MEMORY_BUDGET, new Setting("8GiB", "x")));
        assertThat(defaults.idleSandboxMemory()).isEqualTo(6L << 30);
        assertThat(defaults.sandboxesPerWorker()).isEqualTo(4096);
        GatewayConfig set = GatewayConfig.from(Map.of(ConfigKey.MEMORY_BUDGET, new Setting("8GiB", "x"),
                ConfigKey.IDLE_SANDBOX_MEMORY, new Setting("8GiB", "y")));
        assertThat(set.idleSandboxMemory()).isEqualTo(8L << 30);
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.MEMORY_BUDGET, new Setting("1GiB", "x"),
                ConfigKey.IDLE_SANDBOX_MEMORY, new Setting("2GiB", "y"))))
                .isInstanceOf(ConfigException.class).hasMessage("idleSandboxMemory (2147483648 bytes) is more than"
                        + " memoryBudget (1073741824 bytes), which it is a part of");
    }

    @Test
    void pullOnMissIsOffUnlessATemplateNamingTheTagIsGiven() {
        assertThat(GatewayConfig.from(Map.of()).pullOnMiss()).isEmpty();
        assertThat(GatewayConfig.from(Map.of(ConfigKey.PULL_ON_MISS_RETRY_MS, new Setting("5", "x"))).pullOnMiss())
                .isEmpty();
        PullOnMissSettings on = GatewayConfig.from(GatewayConfig.fromEnvironment(Map.of("SNAPGATE_PULL_ON_MISS",
                "registry.example.com/fleet/snapshots:{tag}"))).pullOnMiss().orElseThrow();
        assertThat(on.retryAfterFailure()).isEqualTo(Duration.ofSeconds(10));
        assertThat(on.reference("hello").toString()).isEqualTo("registry.example.com/fleet/snapshots:hello");
        assertThat(on.reference("hello").base().toString())
                .isEqualTo("https://registry.example.com/v2/fleet/snapshots/");

        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.PULL_ON_MISS,
                new Setting("registry.example.com/snapshots:latest", "--pull-on-miss"))))
                .isInstanceOf(ConfigException.class).hasMessage("pullOnMiss = \"registry.example.com/snapshots:latest\""
                        + " (from --pull-on-miss): name where the tag goes with {tag}, such as"
                        + " registry.example.com/snapshots:{tag}");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.PULL_ON_MISS,
                new Setting("snapshots:{tag}", "--pull-on-miss"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pullOnMiss = \"snapshots:{tag}\"")
                .hasMessageContaining("name the registry first");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.PULL_ON_MISS,
                new Setting("{tag}.example.com/snapshots:v1", "--pull-on-miss"))))
                .isInstanceOf(ConfigException.class).hasMessage("pullOnMiss = \"{tag}.example.com/snapshots:v1\""
                        + " (from --pull-on-miss): {tag} may stand in the repository or the tag, not in the registry"
                        + " host (a caller's tag would choose the host the node asks): such as"
                        + " registry.example.com/snapshots:{tag}");
        assertThat(GatewayConfig.from(Map.of(ConfigKey.PULL_ON_MISS, new Setting("127.0.0.1:5000/{tag}:v1", "x")))
                .pullOnMiss().orElseThrow().reference("hello").toString()).as("in the repository")
                .isEqualTo("127.0.0.1:5000/hello:v1");
    }

    @Test
    void maxGuestMemoryTakesUpTo16GiBAndOtherSizesStopBelow2GiB() {
        assertThat(GatewayConfig.from(Map.of(ConfigKey.MAX_GUEST_MEMORY, new Setting("16GiB", "x"))).maxGuestMemory())
                .as("the most a guest's memory layout allows").isEqualTo(MemoryLayout.MAX_SIZE);
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.MAX_GUEST_MEMORY,
                new Setting(((16L << 30) + 4096) + "", "x"))))
                .isInstanceOf(ConfigException.class).hasMessage("maxGuestMemory = \"17179873280\" (from x): expected"
                        + " a size from 1 byte to 16GiB (a number with an optional KiB, MiB or GiB)");
        assertThat(GatewayConfig.from(Map.of(ConfigKey.BODY_LIMIT, new Setting("2147483647", "x"))).bodyLimit())
                .isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.BODY_LIMIT, new Setting("2GiB", "x"))))
                .isInstanceOf(ConfigException.class).hasMessage("bodyLimit = \"2GiB\" (from x): expected a size from"
                        + " 1 byte to 2GiB less one byte (a number with an optional KiB, MiB or GiB)");
    }

    @Test
    void everySettingHasItsRowInTheApiDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "api.md"));
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(docs).as("docs/api.md's settings table")
                    .contains("| `" + key.key() + "` | `" + key.flag() + "` | `" + key.env() + "` |");
        }
    }

    @Test
    void theDefaultStoreNamedExplicitlyStillGetsTheExamples() {
        String spelledOut = GatewayConfig.defaultStore().getParent() + "/./store";
        GatewayConfig c = GatewayConfig.from(Map.of(ConfigKey.STORE, new Setting(spelledOut, "--store")));
        assertThat(c.store()).isEqualTo(GatewayConfig.defaultStore());
        assertThat(c.examples()).isTrue();
        assertThat(GatewayConfig.from(Map.of(ConfigKey.STORE, new Setting(spelledOut, "--store"),
                ConfigKey.EXAMPLES, new Setting("false", "--examples"))).examples()).isFalse();
    }

    @Test
    void propertiesFileWithSizesAndTokens() throws IOException {
        Path file = Files.writeString(dir.resolve("c.properties"), "bodyLimit=64KiB\ntokens=a, b\nstore=" + dir + "\n");
        GatewayConfig c = GatewayConfig.from(ConfigFile.read(file));
        assertThat(c.bodyLimit()).isEqualTo(64 * 1024);
        assertThat(c.tokens()).containsExactly("a", "b");
        assertThat(c.host()).as("tokens set: listen beyond loopback").isEqualTo("0.0.0.0");
        assertThat(c.examples()).as("not the default store").isFalse();
    }

    @Test
    void jsonTokenList() throws IOException {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"tokens\": [\"x\", \"y\"], \"host\": \"127.0.0.1\"}");
        GatewayConfig c = GatewayConfig.from(ConfigFile.read(file));
        assertThat(c.tokens()).isEqualTo(List.of("x", "y"));
        assertThat(c.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void callTokensFromAFileOrTheEnvironmentAndEachTokenInOneListOnly() throws IOException {
        Path file = Files.writeString(dir.resolve("t.json"),
                "{\"tokens\": [\"deploy\"], \"callTokens\": [\"c1\", \"c2\"]}");
        GatewayConfig c = GatewayConfig.from(ConfigFile.read(file));
        assertThat(c.tokens()).containsExactly("deploy");
        assertThat(c.callTokens()).containsExactly("c1", "c2");
        GatewayConfig callOnly = GatewayConfig.from(GatewayConfig.fromEnvironment(Map.of("SNAPGATE_CALL_TOKENS",
                "c1")));
        assertThat(callOnly.authenticates()).isTrue();
        assertThat(callOnly.host()).as("call tokens set: listen beyond loopback").isEqualTo("0.0.0.0");
        assertThat(callOnly.ownToken()).contains("c1");
        assertThat(GatewayConfig.from(Map.of()).authenticates()).isFalse();
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.TOKENS, new Setting("a,b", "test"),
                ConfigKey.CALL_TOKENS, new Setting("b", "test")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("both tokens").hasMessageNotContaining("\"b\"");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.CALL_TOKENS, new Setting("c1", "test"),
                ConfigKey.CLUSTER, new Setting("true", "test")))).isInstanceOf(ConfigException.class)
                .as("nodes fetch blobs with a deploy token").hasMessageContaining("needs a token in tokens too");
    }

    @Test
    void backendFromTheEnvironmentIsCheckedAndAutoResolvesToWhatThisMachineHas() {
        GatewayConfig auto = GatewayConfig.from(Map.of(), GatewayConfig.fromEnvironment(Map.of()), Map.of());
        assertThat(auto.backend()).isEqualTo("auto");
        assertThat(auto.vcpuBackend().name()).isIn("emulated", "kvm");
        GatewayConfig emulated = GatewayConfig.from(Map.of(), GatewayConfig.fromEnvironment(
                Map.of("SNAPGATE_BACKEND", "emulated")), Map.of());
        assertThat(emulated.vcpuBackend().name()).isEqualTo("emulated");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(ConfigKey.BACKEND, new Setting("kvmm", "--backend"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("backend = \"kvmm\" (from --backend): expected auto, emulated or kvm");
    }

    @Test
    void anIdleTimeoutNoLongerThanTheLongestCallIsRefused() {
        assertThat(GatewayConfig.from(Map.of()).idleTimeout()).isEqualTo(Duration.ofSeconds(120));
        Setting never = new Setting("0", "--idle-timeout-seconds");
        assertThat(GatewayConfig.from(Map.of(ConfigKey.IDLE_TIMEOUT_SECONDS, never)).idleTimeout()).isZero();
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(
                ConfigKey.IDLE_TIMEOUT_SECONDS, new Setting("30", "--idle-timeout-seconds"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("idleTimeoutSeconds (30) must be longer than maxDeadlineMs (30000): a connection waiting"
                        + " for a call's answer is idle meanwhile");
    }

    @Test
    void kvmWhereThisMachineCannotRunItIsRefusedWithTheReason() {
        assumeFalse(KvmBackend.isAvailable(), "KVM works here");
        GatewayConfig kvm = GatewayConfig.from(Map.of(ConfigKey.BACKEND, new Setting("kvm", "--backend")));
        assertThatThrownBy(kvm::vcpuBackend).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("backend = \"kvm\": the kvm vCPU backend was asked for but is unavailable: ")
                .hasMessageEndingWith(KvmBackend.unavailableReason());
    }

    @Test
    void unknownConfigFileKeyIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"prot\": 8080}");
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key \"prot\"").hasMessageContaining("known keys: port");
    }

    @Test
    void badValueNamesKeyValueAndOrigin() {
        assertThatThrownBy(() -> GatewayConfig.from(GatewayConfig.fromEnvironment(Map.of("SNAPGATE_WORKERS", "many"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("workers = \"many\" (from SNAPGATE_WORKERS): expected a whole number from 1 to 1024");
    }

    @Test
    void namesAgreeAcrossSources() {
        assertThat(ConfigKey.BODY_LIMIT.flag()).isEqualTo("--body-limit");
        assertThat(ConfigKey.BODY_LIMIT.env()).isEqualTo("SNAPGATE_BODY_LIMIT");
        assertThat(ConfigKey.ofKey("bodyLimit")).isEqualTo(ConfigKey.BODY_LIMIT);
    }
}
