package io.snapgate.gateway.cluster;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.snapshot.SnapshotBuilder;
import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.gateway.testing.Waits;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.vcpu.VcpuBackends;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster figures of BENCHMARKS.md ("Cluster"), same-run baselines included: (1) time from {@code serve} to
 * serving, without and with {@code --cluster} (first node, joining node); (2) a call served where it arrives
 * vs one routed to another node (wrk with one connection, then with 64); (3) fetch throughput of a snapshot
 * with a 256 MiB heap. Run with the gateway's test class path; arguments pick parts ({@code start},
 * {@code calls}, {@code fetch}; default all); {@code ROUNDS} (default 3) sets the repeats.
 */
public final class ClusterBench {
    /** Nodes run as a server would: both JIT compilers (the tests stop at C1 to start faster), a larger heap. */
    private static final List<String> SERVER_JVM = List.of("-XX:TieredStopAtLevel=4", "-Xmx512m");
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "3"));
    private static final Pattern FETCHED =
            Pattern.compile("fetched \\S+ from node \\S+ in (\\d+) ms \\((\\d+) MiB/s\\)");

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        try (TestCluster cluster = new TestCluster(3, SERVER_JVM)) {
            Path store = cluster.dir().resolve("a");
            prepare(SnapshotStore.open(store));
            List<String> parts = args.length == 0 ? List.of("start", "calls", "fetch") : List.of(args);
            if (parts.contains("start")) {
                startTimes(cluster);
            }
            if (parts.contains("calls")) {
                calls(cluster, store);
            }
            if (parts.contains("fetch")) {
                fetches(cluster, store);
            }
        }
    }

    /** The example guests, and "big": hello with a 256 MiB heap. */
    private static void prepare(SnapshotStore store) {
        SnapshotBuilder builder = new SnapshotBuilder(GatewayHostFunctions.all(),
                VcpuBackends.detect(), SandboxConfig.DEFAULT.withCallTimeout(Duration.ofSeconds(30)), GuestLog.SLF4J,
                MemoryBudget.unlimited());
        ExampleGuests.installIfEmpty(store, builder);
        SandboxConfig big = SandboxConfig.DEFAULT.withSizes(new LayoutSizes(256 << 20, LayoutSizes.DEFAULT.stack(),
                LayoutSizes.DEFAULT.input(), LayoutSizes.DEFAULT.output()));
        try (Sandbox sandbox = Sandbox.builder(ExampleGuests.elf("hello")).hostFunctions(GatewayHostFunctions.all())
                .config(big).build()) {
            sandbox.snapshot().save(store, "big");
        }
    }

    private static void startTimes(TestCluster cluster) {
        List<Double> solo = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> joining = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Path empty = cluster.dir().resolve("start" + round);
            long t0 = System.nanoTime();
            try (NodeProcess n = NodeProcess.start("solo", cluster.dir().resolve("solo" + round + ".log"), SERVER_JVM,
                    List.of("serve", "--port", "0", "--workers", "1", "--examples", "false", "--store",
                            empty.resolve("solo").toString()))) {
                n.awaitListening(TestCluster.START);
                solo.add(ms(t0));
            }
            t0 = System.nanoTime();
            try (NodeProcess a = cluster.start(0, empty.resolve("a")).awaitListening(TestCluster.START)) {
                first.add(ms(t0));
                t0 = System.nanoTime();
                try (NodeProcess b = cluster.start(1, empty.resolve("b")).awaitListening(TestCluster.START)) {
                    joining.add(ms(t0));
                    b.awaitMembers(2, Duration.ofSeconds(30));
                }
            }
        }
        System.out.printf("start to serving, ms (median of %d): serve %.0f; serve --cluster, first node %.0f,"
                + " joining node %.0f; all: %s %s %s%n", ROUNDS, median(solo), median(first), median(joining), solo,
                first, joining);
    }

    private static void calls(TestCluster cluster, Path store) throws Exception {
        try (NodeProcess a = cluster.start(0, store, "--workers", "2").awaitListening(TestCluster.START);
                NodeProcess b = cluster.start(1, cluster.dir().resolve("router"), "--workers", "2",
                        "--cluster-share-files", "false", "--cluster-copies", "false")
                        .awaitListening(TestCluster.START)) {
            b.awaitMembers(2, Duration.ofSeconds(30));
            Waits.until("b resolves hello", Duration.ofSeconds(20), () -> call(b).statusCode() == 200);
            wrk(cluster, a, "-t2 -c64");
            wrk(cluster, b, "-t2 -c64");
            for (int round = 0; round < ROUNDS; round++) {
                for (String load : List.of("-t1 -c1", "-t2 -c64")) {
                    System.out.printf("round %d, wrk %s -d10s: local %s; routed %s%n", round + 1, load,
                            wrk(cluster, a, load), wrk(cluster, b, load));
                }
            }
            System.out.printf("remote calls counted on b: %.0f%n",
                    b.metric("snapgate_calls_remote_total{outcome=\"ok\"}"));
        }
    }

    private static void fetches(TestCluster cluster, Path store) throws IOException {
        try (NodeProcess a = cluster.start(0, store).awaitListening(TestCluster.START)) {
            for (int round = 0; round < ROUNDS; round++) {
                try (NodeProcess c = cluster.start(2, cluster.dir().resolve("fetch" + round),
                        "--cluster-share-files", "false").awaitListening(TestCluster.START)) {
                    c.awaitMembers(2, Duration.ofSeconds(30));
                    Waits.until("c lists big", Duration.ofSeconds(20),
                            () -> c.get("/v1/snapshots/big").statusCode() == 200);
                    c.post("/v1/snapshots/big/functions/add", "{\"args\": [1, 2]}");
                    Waits.until("c fetched big", Duration.ofSeconds(120), () -> FETCHED.matcher(c.logText()).find());
                    Matcher m = FETCHED.matcher(c.logText());
                    m.find();
                    System.out.printf("round %d, fetch of big (%d MiB memory blob): %s ms, %s MiB/s%n", round + 1,
                            Files.size(SnapshotStore.open(store).blobFile(SnapshotStore.open(store).inspect("big")
                                    .memoryDigest())) >> 20, m.group(1), m.group(2));
                }
            }
        }
    }

    private static HttpResponse<String> call(NodeProcess n) {
        return n.post("/v1/snapshots/hello/functions/add", "{\"args\": [2, 3]}");
    }

    /** wrk's requests/s and latency percentiles for the call on {@code n}; {@code load}: threads and connections. */
    static String wrk(TestCluster cluster, NodeProcess n, String load) throws Exception {
        Path script = cluster.dir().resolve("add.lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '{\"args\": [2, 3]}'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        List<String> command = new ArrayList<>(List.of("wrk"));
        command.addAll(List.of(load.split(" ")));
        command.addAll(List.of("-d10s", "--latency", "-s", script.toString(),
                n.url("/v1/snapshots/hello/functions/add")));
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes());
        wrk.waitFor();
        Matcher rps = Pattern.compile("Requests/sec:\\s+(\\S+)").matcher(out);
        Matcher p50 = Pattern.compile("^\\s+50%\\s+(\\S+)", Pattern.MULTILINE).matcher(out);
        Matcher p99 = Pattern.compile("^\\s+99%\\s+(\\S+)", Pattern.MULTILINE).matcher(out);
        Matcher errors = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        if (!rps.find() || !p50.find() || !p99.find()) {
            throw new IllegalStateException("wrk output not understood:\n" + out);
        }
        return rps.group(1) + " req/s (p50 " + p50.group(1) + ", p99 " + p99.group(1)
                + (errors.find() ? ", " + errors.group(1) + " errors" : "") + ")";
    }

    private static double ms(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e6);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
