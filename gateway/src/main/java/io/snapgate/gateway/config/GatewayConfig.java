package io.snapgate.gateway.config;

import io.snapgate.cluster.ClusterSettings;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.sandbox.GuestLimits;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.VcpuBackends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a gateway node is configured with. Made by {@link #from}, which layers command-line flags over
 * environment variables over a config file over the defaults ({@link ConfigKey} lists them).
 *
 * @param examples whether to install the example guests (hello, testguest) into an empty store
 * @param idleTimeout how long a connection may send and receive nothing before it is closed; zero: forever
 * @param tokens bearer tokens with every right (call and deploy); with {@code callTokens} empty too, no
 *     authentication (and, unless a host is given, loopback only)
 * @param callTokens bearer tokens that may call (stateless calls and sessions) but not change snapshots
 * @param cluster how to join the cluster; empty: a node on its own, with nothing of Hazelcast started
 * @param shareFiles whether a cluster node maps another node's blob file in place when it can read it
 * @param keepCopies whether a cluster node fetches a copy of a snapshot other nodes hold (else it routes there)
 * @param registryAuth the auth file holding registry credentials; empty: anonymous access to registries
 * @param pullOnMiss where a tag the node and its cluster lack is pulled from; empty: nowhere (the default)
 * @param guestLimits what one call may make the host do (log lines and bytes, host calls)
 * @param memoryBudget bytes the node may hold for sandboxes, guest builds and request bodies
 * @param idleSandboxMemory bytes of the memory budget the workers' idle sandboxes may reserve, all workers together
 * @param maxGuestMemory the most guest memory a deploy may ask for with its heap, stack and buffer sizes
 * @param warmAtStart how many stored snapshots a start warms (0: none)
 * @param pinWorkers whether each worker's thread (and its emulator process) runs on one CPU only
 */
public record GatewayConfig(String host, int port, int workers, Path store, boolean examples, String backend,
        long bodyLimit, long uploadLimit, int maxQueue, Duration defaultDeadline, Duration maxDeadline,
        Duration sessionTtl, int maxSessions, int wsInFlight, int sandboxesPerWorker, Duration gracePeriod,
        Duration idleTimeout, List<String> tokens, List<String> callTokens, Optional<ClusterSettings> cluster,
        boolean shareFiles, boolean keepCopies, Optional<Path> registryAuth, Optional<PullOnMissSettings> pullOnMiss,
        GuestLimits guestLimits, long memoryBudget, long idleSandboxMemory, long maxGuestMemory, int warmAtStart,
        boolean pinWorkers) {

    public GatewayConfig {
        tokens = List.copyOf(tokens);
        callTokens = List.copyOf(callTokens);
        if (tokens.stream().anyMatch(callTokens::contains)) {
            throw new ConfigException("a token is listed in both tokens (call and deploy) and callTokens (call only):"
                    + " list each token once, under the rights it should have");
        }
        if (cluster.isPresent() && tokens.isEmpty() && !callTokens.isEmpty()) {
            throw new ConfigException("a cluster node with callTokens needs a token in tokens too: nodes fetch each"
                    + " other's snapshot blobs (GET /v1/cluster/blobs, deploy scope) and forward session saves with"
                    + " the first of tokens");
        }
        if (defaultDeadline.compareTo(maxDeadline) > 0) {
            throw new ConfigException("defaultDeadlineMs (" + defaultDeadline.toMillis()
                    + ") is longer than maxDeadlineMs (" + maxDeadline.toMillis() + ")");
        }
        if (idleSandboxMemory > memoryBudget) {
            throw new ConfigException("idleSandboxMemory (" + idleSandboxMemory + " bytes) is more than memoryBudget ("
                    + memoryBudget + " bytes), which it is a part of");
        }
        if (!idleTimeout.isZero() && idleTimeout.compareTo(maxDeadline) <= 0) {
            throw new ConfigException("idleTimeoutSeconds (" + idleTimeout.toSeconds() + ") must be longer than"
                    + " maxDeadlineMs (" + maxDeadline.toMillis() + "): a connection waiting for a call's answer"
                    + " is idle meanwhile");
        }
    }

    /** Whether any bearer token is configured: then every /v1 route needs one. */
    public boolean authenticates() {
        return !tokens.isEmpty() || !callTokens.isEmpty();
    }

    /**
     * A token for the node's own requests to itself and its peers (warm-up, blob fetches, forwarded session
     * operations): a full one first (a cluster node always has one).
     */
    public Optional<String> ownToken() {
        return tokens.isEmpty() ? callTokens.stream().findFirst() : Optional.of(tokens.get(0));
    }

    /** How the node's sandboxes are made: the defaults with this node's guest limits. */
    public SandboxConfig sandboxConfig() {
        return SandboxConfig.DEFAULT.withLimits(guestLimits);
    }

    /**
     * The vCPU backend {@link #backend()} names: for {@code auto}, the one this machine has. Refuses {@code kvm}
     * with the reason when this machine cannot run it.
     */
    public VcpuBackend vcpuBackend() {
        try {
            return VcpuBackends.named(backend);
        } catch (IllegalStateException e) {
            throw new ConfigException("backend = \"" + backend + "\": " + e.getMessage());
        }
    }

    /** The store directory when none is configured: {@code $HOME/.snapgate/store}. */
    public static Path defaultStore() {
        String home = System.getenv("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".snapgate", "store");
    }

    /** Layers the sources, each overriding the ones after it; a missing source is an empty map. */
    public static GatewayConfig from(Map<ConfigKey, Setting> flags, Map<ConfigKey, Setting> env,
            Map<ConfigKey, Setting> file) {
        Map<ConfigKey, Setting> merged = new EnumMap<>(ConfigKey.class);
        merged.putAll(file);
        merged.putAll(env);
        merged.putAll(flags);
        return from(merged);
    }

    /** The settings given, the defaults for the rest. */
    public static GatewayConfig from(Map<ConfigKey, Setting> s) {
        List<String> tokens = s.containsKey(ConfigKey.TOKENS) ? ConfigValues.list(s.get(ConfigKey.TOKENS)) : List.of();
        List<String> callTokens = s.containsKey(ConfigKey.CALL_TOKENS) ? ConfigValues.list(s.get(ConfigKey.CALL_TOKENS))
                : List.of();
        Setting store = s.get(ConfigKey.STORE);
        Path storeDir = store == null ? defaultStore() : Path.of(store.value()).toAbsolutePath().normalize();
        String publicHost = tokens.isEmpty() && callTokens.isEmpty() ? "127.0.0.1" : "0.0.0.0";
        long memoryBudget = s.containsKey(ConfigKey.MEMORY_BUDGET)
                ? ConfigValues.bytes(ConfigKey.MEMORY_BUDGET, s.get(ConfigKey.MEMORY_BUDGET), 1 << 20)
                : MemoryBudget.derived();
        return new GatewayConfig(
                s.containsKey(ConfigKey.HOST) ? s.get(ConfigKey.HOST).value() : publicHost,
                integer(s, ConfigKey.PORT, 8080, 0, 65535),
                integer(s, ConfigKey.WORKERS, Runtime.getRuntime().availableProcessors(), 1, 1024),
                storeDir,
                s.containsKey(ConfigKey.EXAMPLES) ? ConfigValues.bool(ConfigKey.EXAMPLES, s.get(ConfigKey.EXAMPLES))
                        : storeDir.equals(defaultStore()), // also when the default path is given explicitly
                s.containsKey(ConfigKey.BACKEND) ? ConfigValues.backend(ConfigKey.BACKEND, s.get(ConfigKey.BACKEND))
                        : "auto",
                bytes(s, ConfigKey.BODY_LIMIT, 1 << 20),
                bytes(s, ConfigKey.UPLOAD_LIMIT, 32 << 20),
                integer(s, ConfigKey.MAX_QUEUE, 256, 0, 1 << 20),
                millis(s, ConfigKey.DEFAULT_DEADLINE_MS, 5_000),
                millis(s, ConfigKey.MAX_DEADLINE_MS, 30_000),
                Duration.ofSeconds(integer(s, ConfigKey.SESSION_TTL_SECONDS, 300, 1, Integer.MAX_VALUE)),
                integer(s, ConfigKey.MAX_SESSIONS, 256, 0, 1 << 20),
                integer(s, ConfigKey.WS_IN_FLIGHT, 64, 1, 1 << 16),
                integer(s, ConfigKey.SANDBOXES_PER_WORKER, 4096, 1, 1 << 16),
                millis(s, ConfigKey.GRACE_MS, 10_000),
                Duration.ofSeconds(integer(s, ConfigKey.IDLE_TIMEOUT_SECONDS, 120, 0, Integer.MAX_VALUE)),
                tokens,
                callTokens,
                flag(s, ConfigKey.CLUSTER, false) ? Optional.of(cluster(s)) : Optional.empty(),
                flag(s, ConfigKey.CLUSTER_SHARE_FILES, true),
                flag(s, ConfigKey.CLUSTER_COPIES, true),
                Optional.ofNullable(s.get(ConfigKey.REGISTRY_AUTH)).map(a -> Path.of(a.value()).toAbsolutePath()),
                pullOnMiss(s),
                guestLimits(s),
                memoryBudget,
                s.containsKey(ConfigKey.IDLE_SANDBOX_MEMORY)
                        ? ConfigValues.bytes(ConfigKey.IDLE_SANDBOX_MEMORY, s.get(ConfigKey.IDLE_SANDBOX_MEMORY),
                                1 << 20)
                        : memoryBudget / 4 * 3, // a cache that gives way to any other reservation
                s.containsKey(ConfigKey.MAX_GUEST_MEMORY) ? ConfigValues.bytes(ConfigKey.MAX_GUEST_MEMORY,
                        s.get(ConfigKey.MAX_GUEST_MEMORY), MemoryLayout.MAX_SIZE >> 30) : 1L << 30,
                integer(s, ConfigKey.WARM_AT_START, 64, 0, 1 << 20),
                flag(s, ConfigKey.PIN_WORKERS, true));
    }

    private static GuestLimits guestLimits(Map<ConfigKey, Setting> s) {
        GuestLimits d = GuestLimits.DEFAULT;
        return new GuestLimits(integer(s, ConfigKey.LOG_LINES_PER_CALL, (int) d.logLines(), 0, Integer.MAX_VALUE),
                bytes(s, ConfigKey.LOG_BYTES_PER_CALL, d.logBytes()),
                integer(s, ConfigKey.HOST_CALLS_PER_CALL, (int) d.hostCalls(), 0, Integer.MAX_VALUE));
    }

    private static Optional<PullOnMissSettings> pullOnMiss(Map<ConfigKey, Setting> s) {
        Setting template = s.get(ConfigKey.PULL_ON_MISS);
        if (template == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PullOnMissSettings(template.value().strip(),
                    millis(s, ConfigKey.PULL_ON_MISS_RETRY_MS, 10_000)));
        } catch (IllegalArgumentException e) {
            throw ConfigValues.refuse(ConfigKey.PULL_ON_MISS, template, e.getMessage());
        }
    }

    private static boolean flag(Map<ConfigKey, Setting> s, ConfigKey key, boolean fallback) {
        return s.containsKey(key) ? ConfigValues.bool(key, s.get(key)) : fallback;
    }

    private static ClusterSettings cluster(Map<ConfigKey, Setting> s) {
        ClusterSettings c = ClusterSettings.defaults();
        try {
            if (s.containsKey(ConfigKey.CLUSTER_NAME)) {
                c = c.withClusterName(s.get(ConfigKey.CLUSTER_NAME).value());
            }
            if (s.containsKey(ConfigKey.CLUSTER_MEMBERS)) {
                c = c.withMembers(ConfigValues.list(s.get(ConfigKey.CLUSTER_MEMBERS)));
            }
            if (s.containsKey(ConfigKey.CLUSTER_INTERFACE)) {
                c = c.withInterface(s.get(ConfigKey.CLUSTER_INTERFACE).value());
            }
            if (s.containsKey(ConfigKey.CLUSTER_PORT)) {
                c = c.withPort(integer(s, ConfigKey.CLUSTER_PORT, ClusterSettings.DEFAULT_PORT, 1, 65535), true);
            }
            if (s.containsKey(ConfigKey.HAZELCAST_CONFIG)) {
                c = c.withUserConfig(Path.of(s.get(ConfigKey.HAZELCAST_CONFIG).value()));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cluster settings: " + e.getMessage());
        }
        return c;
    }

    private static int integer(Map<ConfigKey, Setting> s, ConfigKey key, int fallback, int min, int max) {
        return s.containsKey(key) ? ConfigValues.integer(key, s.get(key), min, max) : fallback;
    }

    private static long bytes(Map<ConfigKey, Setting> s, ConfigKey key, long fallback) {
        return s.containsKey(key) ? ConfigValues.bytes(key, s.get(key)) : fallback;
    }

    private static Duration millis(Map<ConfigKey, Setting> s, ConfigKey key, long fallback) {
        return Duration.ofMillis(s.containsKey(key) ? ConfigValues.millis(key, s.get(key)) : fallback);
    }

    /** The {@code SNAPGATE_*} variables of {@code environment} that name settings. */
    public static Map<ConfigKey, Setting> fromEnvironment(Map<String, String> environment) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            String value = environment.get(key.env());
            if (value != null && !value.isBlank()) {
                settings.put(key, new Setting(value, key.env()));
            }
        }
        return settings;
    }
}
