package io.snapgate.gateway.config;

import java.util.Locale;

/**
 * Every setting the gateway reads, under one name per source: the config-file key ({@code bodyLimit}), the
 * command-line flag ({@code --body-limit}) and the environment variable ({@code SNAPGATE_BODY_LIMIT}).
 */
public enum ConfigKey {
    PORT("port", "N", "8080", "TCP port to listen on (0: any free port)", true),
    HOST("host", "ADDR", "127.0.0.1, or 0.0.0.0 when tokens are set", "address to listen on", true),
    WORKERS("workers", "N", "the number of cores", "worker threads, each owning one vCPU", true),
    PIN_WORKERS("pinWorkers", "BOOL", "true", "pin each worker's vCPU thread, and the emulator process that runs its"
            + " guests, to one CPU (worker i to the i-th CPU the gateway may use, round robin)", true),
    STORE("store", "DIR", "$HOME/.snapgate/store", "snapshot store directory", false),
    EXAMPLES("examples", "BOOL", "true for the default store", "install the example guests into an empty store", false),
    BACKEND("backend", "NAME", "auto", "vCPU backend: auto (kvm when /dev/kvm works, else emulated), emulated or kvm",
            false),
    BODY_LIMIT("bodyLimit", "BYTES", "1MiB", "largest JSON request body or WebSocket message", true),
    UPLOAD_LIMIT("uploadLimit", "BYTES", "32MiB", "largest guest ELF or script upload", true),
    MAX_GUEST_MEMORY("maxGuestMemory", "BYTES", "1GiB",
            "the most memory (image, heap, stack, buffers) a deployed guest may have with the sizes it asks for", false),
    MAX_QUEUE("maxQueue", "N", "256", "calls waiting for a worker beyond which the node answers 503", true),
    DEFAULT_DEADLINE_MS("defaultDeadlineMs", "MS", "5000", "a call's deadline unless it names one", false),
    MAX_DEADLINE_MS("maxDeadlineMs", "MS", "30000", "the longest deadline a call may ask for (also guest init)",
            false),
    SESSION_TTL_SECONDS("sessionTtlSeconds", "S", "300", "idle time after which a session ends", true),
    MAX_SESSIONS("maxSessions", "N", "256", "open sessions per node", true),
    WS_IN_FLIGHT("wsInFlight", "N", "64", "calls in flight per WebSocket connection", true),
    SANDBOXES_PER_WORKER("sandboxesPerWorker", "N", "4096",
            "idle sandboxes each worker keeps mapped, at most (each costs its emulator process a few memory maps)",
            true),
    MEMORY_BUDGET("memoryBudget", "BYTES", "3/4 of the machine's (or cgroup's) memory beyond the JVM's maximum heap",
            "memory for sandboxes, guest builds and request bodies; past it the node answers 503 OVERLOADED", true),
    IDLE_SANDBOX_MEMORY("idleSandboxMemory", "BYTES", "3/4 of the memory budget",
            "of the memory budget, what idle sandboxes kept for the next call, and the vCPUs they keep, may"
                    + " reserve (split between the workers; least recently used let go first)", true),
    WARM_AT_START("warmAtStart", "N", "64",
            "stored snapshots warmed after a start on the worker their calls go to, as a deploy warms its own", true),
    LOG_LINES_PER_CALL("logLinesPerCall", "N", "1000",
            "guest log lines per call (sg_log and print); the rest are dropped and counted", false),
    LOG_BYTES_PER_CALL("logBytesPerCall", "BYTES", "1MiB", "bytes of guest log lines per call", false),
    HOST_CALLS_PER_CALL("hostCallsPerCall", "N", "1000000",
            "host calls per call; one more stops the call (GUEST_CRASHED)", false),
    GRACE_MS("gracePeriodMs", "MS", "10000", "how long shutdown waits for calls in flight", true),
    IDLE_TIMEOUT_SECONDS("idleTimeoutSeconds", "S", "120",
            "a connection (HTTP or WebSocket) that sends and receives nothing this long is closed (0: never)", true),
    TOKENS("tokens", "LIST", "none",
            "bearer tokens that may call and deploy, comma-separated; when set, every /v1 route needs a token", true),
    CALL_TOKENS("callTokens", "LIST", "none",
            "bearer tokens that may call functions and use sessions but not change snapshots, comma-separated", true),
    CLUSTER("cluster", "BOOL", "false", "join a Hazelcast cluster of gateways (nothing of Hazelcast starts without it)",
            true),
    CLUSTER_NAME("clusterName", "NAME", "snapgate", "cluster name; only nodes with the same name join", true),
    CLUSTER_MEMBERS("clusterMembers", "LIST", "127.0.0.1", "TCP-IP members to join, host or host:port, comma-separated",
            true),
    CLUSTER_INTERFACE("clusterInterface", "ADDR", "127.0.0.1", "the address the cluster binds and advertises", true),
    CLUSTER_PORT("clusterPort", "N", "5701, or the next free one", "the cluster's member port", true),
    HAZELCAST_CONFIG("hazelcastConfig", "FILE", "none",
            "a hazelcast .xml/.yaml that replaces the cluster settings above wholesale", true),
    CLUSTER_SHARE_FILES("clusterShareFiles", "BOOL", "true",
            "map another node's blob file in place when it is readable here (else fetch a copy)", true),
    CLUSTER_COPIES("clusterCopies", "BOOL", "true",
            "fetch a copy of a snapshot other nodes hold; false: route its calls to them", true),
    REGISTRY_AUTH("registryAuth", "FILE", "none (anonymous)",
            "registry credentials for push and pull: a containers auth.json, as skopeo/podman/docker login write it",
            false),
    PULL_ON_MISS("pullOnMiss", "REF", "none (off)", "a registry reference with {tag}, such as"
            + " registry.example.com/snapshots:{tag}: a tag neither this node nor its cluster has is pulled from there",
            true),
    PULL_ON_MISS_RETRY_MS("pullOnMissRetryMs", "MS", "10000",
            "after a failed pull on a miss, how long calls for that tag get its error without asking the registry",
            true);

    private final String key;
    private final String label;
    private final String defaultText;
    private final String description;
    private final boolean serveOnly;

    ConfigKey(String key, String label, String defaultText, String description, boolean serveOnly) {
        this.key = key;
        this.label = label;
        this.defaultText = defaultText;
        this.description = description;
        this.serveOnly = serveOnly;
    }

    /** The config-file key. */
    public String key() {
        return key;
    }

    /** {@code --body-limit}. */
    public String flag() {
        return "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** {@code SNAPGATE_BODY_LIMIT}. */
    public String env() {
        return "SNAPGATE_" + key.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
    }

    public String label() {
        return label;
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** Whether only {@code serve} reads it (the other commands read the store, backend and deadlines). */
    public boolean serveOnly() {
        return serveOnly;
    }

    /** The key a config file names {@code name} by, or null. */
    public static ConfigKey ofKey(String name) {
        for (ConfigKey k : values()) {
            if (k.key.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
