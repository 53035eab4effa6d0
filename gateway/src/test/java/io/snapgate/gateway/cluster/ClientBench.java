package io.snapgate.gateway.cluster;

import io.snapgate.client.SnapgateClient;
import io.snapgate.client.wire.Addresses;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.bench.ClusterEcho;
import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.gateway.testing.Waits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client figures of BENCHMARKS.md ("Clients"): a gateway node in a child JVM (two workers, both JIT compilers)
 * and, in this JVM, an application joined as a lite member (client/lite-member.xml) calling {@code hello add(2, 3)}
 * three ways in the same run: the typed {@link SnapgateClient}, a bare event-bus request to {@code snapgate.call},
 * and REST through Vert.x's HTTP client (keep-alive, one connection per call in flight); and the floors of both
 * transports, a clustered Vert.x node in a third JVM ({@link ClusterEcho}) answering the same message over the
 * event bus and the same body over HTTP at once, on its event loop. Per round and way: the
 * p50/p90/p99 of sequential calls (each sent from the last one's answer, on an event loop) after a warm-up, then
 * calls per second with {@code INFLIGHT} (64) in flight for {@code SECONDS} (5). A first round is not counted
 * (JIT, connections, sandboxes); then {@code ROUNDS} (5) rounds, the order of the ways turning each round, each with
 * wrk's figures for the same REST call when wrk is installed (a client in C, for scale). Loopback only.
 */
public final class ClientBench {
    private static final List<String> SERVER_JVM = List.of("-XX:TieredStopAtLevel=4", "-Xmx512m");
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "5"));
    private static final int INFLIGHT = Integer.parseInt(System.getenv().getOrDefault("INFLIGHT", "64"));
    private static final int SECONDS = Integer.parseInt(System.getenv().getOrDefault("SECONDS", "5"));
    private static final boolean WRK = Files.isExecutable(Path.of("/usr/bin/wrk"));
    private static final int WARM = 2_000;
    private static final int SEQUENTIAL = 5_000;

    private ClientBench() {
    }

    public static void main(String[] args) throws Exception {
        try (TestCluster cluster = new TestCluster(2, SERVER_JVM)) {
            Path store = cluster.exampleStore("store");
            Echo echo = Echo.start(cluster);
            try (echo; NodeProcess node = cluster.start(0, store, "--workers", "2").awaitListening(TestCluster.START);
                    ClientMember member = ClientMember.join(cluster)) {
                node.awaitMembers(3, Duration.ofSeconds(30));
                Map<String, Supplier<Future<?>>> ways = ways(member.vertx(), node, echo.port());
                Waits.sleep(1_000); // the client hears the node's load reports: it sends to the node's address
                for (Supplier<Future<?>> way : ways.values()) { // a round not counted: JIT, connections, sandboxes
                    sequential(member.vertx(), way);
                    inFlight(member.vertx(), way);
                }
                for (int round = 1; round <= ROUNDS; round++) {
                    List<String> order = new ArrayList<>(ways.keySet());
                    Collections.rotate(order, round);
                    for (String way : order) {
                        System.out.printf("round %d, %-10s sequential %s; %d in flight: %s calls/s%n", round, way,
                                sequential(member.vertx(), ways.get(way)), INFLIGHT,
                                inFlight(member.vertx(), ways.get(way)));
                    }
                    if (WRK) { // REST from a client in C, for scale: what the JVM clients above add
                        System.out.printf("round %d, wrk -t1 -c1: %s; wrk -t1 -c%d: %s%n", round,
                                ClusterBench.wrk(cluster, node, "-t1 -c1"), INFLIGHT,
                                ClusterBench.wrk(cluster, node, "-t1 -c" + INFLIGHT));
                    }
                }
            }
        }
    }

    /** The floors: {@link ClusterEcho} in a child JVM of its own, a member of the cluster. */
    private record Echo(Process process, int port) implements AutoCloseable {
        static Echo start(TestCluster cluster) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(SERVER_JVM);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterEcho.class.getName(),
                    cluster.name(), String.valueOf(cluster.memberPort(1)), String.join(",", cluster.members())));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(cluster.dir().resolve("echo.log").toFile()).start();
            Path log = cluster.dir().resolve("echo.log");
            Pattern listening = Pattern.compile("echo listening on (\\d+)");
            long giveUp = System.nanoTime() + TestCluster.START.toNanos();
            while (System.nanoTime() < giveUp && process.isAlive()) {
                Matcher m = listening.matcher(Files.readString(log));
                if (m.find()) {
                    return new Echo(process, Integer.parseInt(m.group(1)));
                }
                Waits.sleep(100);
            }
            process.destroyForcibly();
            throw new IllegalStateException("the echo node did not start; its log:\n" + Files.readString(log));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static Map<String, Supplier<Future<?>>> ways(Vertx vertx, NodeProcess node, int echoPort) {
        SnapgateClient client = SnapgateClient.create(vertx);
        JsonObject call = Messages.call("hello", "add", new JsonArray().add(2).add(3), null);
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(INFLIGHT));
        RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(node.url("/v1/snapshots/hello/functions/add"));
        Buffer body = Buffer.buffer("{\"args\":[2,3]}");
        Map<String, Supplier<Future<?>>> ways = new LinkedHashMap<>();
        ways.put("client", () -> client.call("hello", "add", 2, 3));
        ways.put("bare bus", () -> vertx.eventBus().request(Addresses.CALL, call));
        ways.put("REST", () -> http.request(post).compose(r -> r.send(body)).compose(r -> r.body()));
        RequestOptions echo = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI("http://127.0.0.1:" + echoPort + "/");
        ways.put("bus floor", () -> vertx.eventBus().request(ClusterEcho.ADDRESS, call));
        ways.put("HTTP floor", () -> http.request(echo).compose(r -> r.send(body)).compose(r -> r.body()));
        return ways;
    }

    /** p50/p90/p99 of {@link #SEQUENTIAL} calls, each sent from the previous one's answer. */
    private static String sequential(Vertx vertx, Supplier<Future<?>> call) {
        long[] micros = new long[SEQUENTIAL];
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(v -> step(call, -WARM, micros, done));
        done.future().await();
        Arrays.sort(micros);
        return String.format("p50 %d us, p90 %d us, p99 %d us", micros[SEQUENTIAL / 2],
                micros[SEQUENTIAL * 9 / 10], micros[SEQUENTIAL * 99 / 100]);
    }

    private static void step(Supplier<Future<?>> call, int i, long[] micros, Promise<Void> done) {
        if (i == micros.length) {
            done.complete();
            return;
        }
        long t0 = System.nanoTime();
        call.get().onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - t0) / 1_000;
            }
            step(call, i + 1, micros, done);
        });
    }

    /** Calls per second with {@link #INFLIGHT} loops, each sending its next call from its last one's answer. */
    private static String inFlight(Vertx vertx, Supplier<Future<?>> call) {
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Future<Void>> loops = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < INFLIGHT; i++) {
            Promise<Void> loop = Promise.promise();
            loops.add(loop.future());
            vertx.runOnContext(v -> loop(call, end, ok, failed, loop));
        }
        Future.all(loops).await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return String.format("%,.0f%s", ok.get() / seconds, failed.get() == 0 ? "" : " (" + failed.get() + " failed)");
    }

    private static void loop(Supplier<Future<?>> call, long end, AtomicLong ok, AtomicLong failed,
            Promise<Void> done) {
        if (System.nanoTime() > end) {
            done.complete();
            return;
        }
        call.get().onComplete(ar -> {
            (ar.succeeded() ? ok : failed).incrementAndGet();
            loop(call, end, ok, failed, done);
        });
    }
}
