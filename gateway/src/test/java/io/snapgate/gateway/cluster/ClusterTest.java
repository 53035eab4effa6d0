package io.snapgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.gateway.testing.Waits;
import io.snapgate.store.SnapshotStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three gateways in separate JVMs on loopback: nodes 1 and 2 share one store directory, node 3 has its own and
 * may not map other nodes' files (so it fetches). The tests run in order on the one cluster: listing and calls
 * everywhere, one mapped file, one verified fetch, a corrupted transfer refused, a session reached from every
 * node, a kill -9 under load (and the session on the dead node answering 410), a restart, a tag deleted
 * everywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private TestCluster cluster;
    private Path storeA;
    private Path storeC;
    private NodeProcess n1;
    private NodeProcess n2;
    private NodeProcess n3;
    private String session;

    @BeforeAll
    void startCluster() {
        cluster = new TestCluster(3, List.of());
        storeA = cluster.dir().resolve("a");
        storeC = cluster.dir().resolve("c");
        n1 = cluster.start(0, storeA);
        n2 = cluster.start(1, storeA);
        n3 = cluster.start(2, storeC, "--cluster-share-files", "false");
        for (NodeProcess n : List.of(n1, n2, n3)) {
            n.awaitListening(TestCluster.START);
        }
        for (NodeProcess n : List.of(n1, n2, n3)) {
            n.awaitMembers(3, Duration.ofSeconds(30));
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aSnapshotSavedOnOneNodeIsListedAndCallableOnEveryNode() {
        assertThat(n1.upload("/v1/snapshots?tag=greeter", ExampleGuests.elf("hello")).statusCode()).isEqualTo(201);
        for (NodeProcess n : List.of(n2, n3)) {
            Waits.until(n + " lists greeter", Duration.ofSeconds(10), () -> tags(n).contains("greeter"));
        }
        for (NodeProcess n : List.of(n1, n2, n3)) {
            String name = n.node();
            assertThat(result(call(n, "greeter", "greet", "\"" + name + "\""))).isEqualTo("Hello, " + name + "!");
            assertThat(result(call(n, "greeter", "add", "40, 2"))).isEqualTo(42);
        }
        assertThat(call(n2, "greeter", "nope", "").statusCode()).isEqualTo(404);
        assertThat(call(n3, "greeter", "add", "\"x\", 2").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void nodesOnOneStoreMapTheSameFile() throws IOException {
        Path blob = memoryBlob(storeA, "greeter");
        MappedFile m1 = mapped(n1, blob);
        MappedFile m2 = mapped(n2, blob);
        assertThat(m1.inode()).isEqualTo(m2.inode()).isEqualTo(inode(blob));
        long copies;
        try (Stream<Path> blobs = Files.list(blob.getParent())) {
            copies = blobs.filter(p -> sha256(p).equals(blob.getFileName().toString())).count();
        }
        assertThat(copies).as("copies of the memory blob in the shared store").isEqualTo(1);
        assertThat(n2.metric("snapgate_fetches_total{outcome=\"ok\"}")).isZero();
    }

    @Test
    @Order(3)
    void aNodeWithItsOwnStoreFetchesOnceVerifiesAndServes() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                calls.add(clients.submit(() -> call(n3, "greeter", "add", n + ", 1")));
            }
            for (int i = 0; i < calls.size(); i++) {
                assertThat(result(calls.get(i).get(30, TimeUnit.SECONDS))).isEqualTo(i + 1);
            }
        } finally {
            clients.shutdownNow();
        }
        Waits.until("node 3 fetched greeter", Duration.ofSeconds(20),
                () -> n3.metric("snapgate_fetches_total{outcome=\"ok\"}") == 1);
        Path own = memoryBlob(storeC, "greeter");
        assertThat(sha256(own)).isEqualTo(own.getFileName().toString());
        // The fetch counts before node 3 registers its verified copy in the index: wait for that too.
        Waits.until("node 3 registered as a verified holder of greeter", Duration.ofSeconds(20), () -> {
            JsonObject fetched = holder(n1, "greeter", n3.node());
            return fetched != null && fetched.getBoolean("verified", false);
        });
        for (int i = 0; i < 5; i++) {
            assertThat(result(call(n3, "greeter", "add", i + ", 2"))).isEqualTo(i + 2);
        }
        assertThat(mapped(n3, own).inode()).isEqualTo(inode(own));
        assertThat(n3.metric("snapgate_fetches_total{outcome=\"ok\"}")).isEqualTo(1);
        assertThat(n3.metric("snapgate_fetch_bytes_total")).isGreaterThanOrEqualTo(Files.size(own));
        assertThat(n3.logText()).contains("fetched " + digest(n1, "greeter"));
    }

    @Test
    @Order(4)
    void aScriptDeployedOnOneNodeRunsOnAnotherWithItsOwnStore() {
        String script = "var calls = 0; exports.tally = function (xs) { calls++; return {sum: xs.reduce("
                + "function (a, b) { return a + b; }, 0), calls: calls}; };";
        assertThat(n1.uploadScript("/v1/snapshots?tag=tally&heap=8MiB", script).statusCode()).isEqualTo(201);
        Waits.until("node 3 fetched tally and holds a verified copy", Duration.ofSeconds(30), () -> {
            call(n3, "tally", "tally", "[1]"); // a call that finds no local copy starts the fetch
            JsonObject fetched = holder(n1, "tally", n3.node());
            return fetched != null && fetched.getBoolean("verified", false);
        });
        for (NodeProcess n : List.of(n1, n2, n3)) {
            assertThat(result(call(n, "tally", "tally", "[1, 2, 3.5]")))
                    .isEqualTo(new JsonObject().put("sum", 6.5).put("calls", 1));
        }
    }

    @Test
    @Order(5)
    void aCorruptedTransferIsRefusedAndNothingRegistered() throws IOException {
        double fetched = n3.metric("snapgate_fetches_total{outcome=\"ok\"}");
        assertThat(n1.upload("/v1/snapshots?tag=fragile", ExampleGuests.elf("testguest")).statusCode()).isEqualTo(201);
        Waits.until("node 2 lists fragile", Duration.ofSeconds(10), () -> tags(n2).contains("fragile"));
        for (NodeProcess holder : List.of(n1, n2)) { // both hold it (one store): each maps the intact file now
            assertThat(result(call(holder, "fragile", "add", "1, 1"))).isEqualTo(2);
        }
        Path blob = memoryBlob(storeA, "fragile");
        Path intact = cluster.dir().resolve("intact");
        Files.copy(blob, intact);
        Path tampered = cluster.dir().resolve("tampered");
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(tampered, bytes);
        Files.move(tampered, blob, StandardCopyOption.REPLACE_EXISTING); // a new inode: node 1's mapping keeps the old
        Waits.until("node 3 lists fragile", Duration.ofSeconds(10), () -> tags(n3).contains("fragile"));

        assertThat(result(call(n3, "fragile", "add", "2, 3"))).isEqualTo(5); // routed to node 1 while node 3 fetches
        Waits.until("node 3 refused the transfer", Duration.ofSeconds(20),
                () -> n3.metric("snapgate_fetches_total{outcome=\"failed\"}") >= 1);
        assertThat(n3.logText()).contains("hashes to");
        Path notThere = storeC.resolve("blobs/sha256").resolve(blob.getFileName());
        assertThat(notThere).doesNotExist();
        // A later call may have started another fetch (refused the same way): its partial file goes with it
        Waits.until("no partial file left in node 3's store", Duration.ofSeconds(20), () -> {
            try (Stream<Path> left = Files.list(storeC.resolve("blobs/sha256"))) {
                return left.noneMatch(p -> p.getFileName().toString().startsWith("."));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(holder(n1, "fragile", n3.node())).isNull();
        assertThat(tags(n3)).contains("fragile");

        Files.move(intact, blob, StandardCopyOption.REPLACE_EXISTING);
        Waits.until("node 3 fetched fragile once the holder's file is intact", Duration.ofSeconds(20), () -> {
            assertThat(result(call(n3, "fragile", "add", "2, 3"))).isEqualTo(5);
            return n3.metric("snapgate_fetches_total{outcome=\"ok\"}") == fetched + 1;
        });
        assertThat(holder(n1, "fragile", n3.node())).isNotNull();
    }

    @Test
    @Order(6)
    void aSessionLivesOnItsNodeAndAnyNodeReachesIt() {
        HttpResponse<String> opened = n1.post("/v1/sessions", "{\"snapshot\": \"fragile\"}");
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        session = new JsonObject(opened.body()).getString("id");
        assertThat(session).startsWith(n1.node() + ".");
        int total = 0;
        for (NodeProcess n : List.of(n3, n2, n1)) {
            total += 5;
            assertThat(result(n.post("/v1/sessions/" + session + "/functions/add_to_static", "{\"args\": [5]}")))
                    .as("state kept across nodes").isEqualTo(total);
        }
        HttpResponse<String> saved = n2.post("/v1/sessions/" + session + "/snapshot?tag=fragile-15", "");
        assertThat(saved.statusCode()).as("saved through a node that does not own the session: " + saved.body())
                .isEqualTo(201);
        Waits.until("node 3 lists fragile-15", Duration.ofSeconds(10), () -> tags(n3).contains("fragile-15"));
        assertThat(result(call(n3, "fragile-15", "get_static", ""))).as("the saved state, on another node")
                .isEqualTo(15);
    }

    @Test
    @Order(7)
    void killNineUnderSteadyLoadLosesNoCallSilently() throws Exception {
        String dead = n1.node();
        List<NodeProcess> targets = List.of(n1, n2, n3);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failedWithError = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger survivorsFailed = new AtomicInteger();
        AtomicInteger okAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int client = c;
            loops.add(clients.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    NodeProcess target = targets.get((client + i) % 3);
                    if (killed.get() && target == n1) {
                        continue;
                    }
                    try {
                        HttpResponse<String> r = call(target, "greeter", "add", client + ", " + i);
                        if (r.statusCode() != 200) {
                            assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isNotBlank();
                            failedWithError.incrementAndGet();
                            if (target != n1) {
                                survivorsFailed.incrementAndGet();
                            }
                        } else if (new JsonObject(r.body()).getInteger("result") == client + i) {
                            ok.incrementAndGet();
                            if (killed.get()) {
                                okAfterKill.incrementAndGet();
                            }
                        } else {
                            wrong.incrementAndGet();
                        }
                    } catch (UncheckedIOException e) {
                        failedWithError.incrementAndGet(); // the client saw the connection fail: not silent
                    }
                }
                return null;
            }));
        }
        Waits.sleep(1_500);
        n1.kill9();
        long killedAt = System.nanoTime();
        killed.set(true);
        Waits.until("the index drops node 1", Duration.ofSeconds(10), () -> holder(n2, "greeter", dead) == null
                && holder(n3, "greeter", dead) == null);
        long dropMs = (System.nanoTime() - killedAt) / 1_000_000;
        Waits.sleep(2_000);
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get(60, TimeUnit.SECONDS);
        }
        clients.shutdownNow();
        System.out.printf("kill -9 under load: %d ok (%d after the kill), %d failed with an error (%d on survivors),"
                + " %d wrong; index dropped the node after %d ms%n", ok.get(), okAfterKill.get(), failedWithError.get(),
                survivorsFailed.get(), wrong.get(), dropMs);
        assertThat(wrong.get()).isZero();
        assertThat(okAfterKill.get()).isPositive();
        assertThat(survivorsFailed.get()).isZero();
        assertThat(n2.cluster().getInteger("size")).isEqualTo(2);

        HttpResponse<String> lost = n2.post("/v1/sessions/" + session + "/functions/add_to_static", "{\"args\": [1]}");
        assertThat(lost.statusCode()).isEqualTo(410);
        assertThat(new JsonObject(lost.body()).getJsonObject("error").getString("message"))
                .contains("left the cluster");
    }

    @Test
    @Order(8)
    void aRestartedNodeRejoinsAndReregisters() {
        n1 = cluster.start(0, storeA).awaitListening(TestCluster.START).awaitMembers(3, Duration.ofSeconds(30));
        String again = n1.node();
        Waits.until("node 1 holds greeter again", Duration.ofSeconds(15), () -> holder(n3, "greeter", again) != null);
        assertThat(result(call(n1, "greeter", "add", "20, 22"))).isEqualTo(42);
    }

    @Test
    @Order(9)
    void aTagDeletedThroughOneNodeIsGoneFromEveryNodeAndStore() {
        assertThat(n2.send("DELETE", "/v1/snapshots/fragile").statusCode()).isEqualTo(204);
        Waits.until("no node lists fragile, no store tags it", Duration.ofSeconds(10), () ->
                List.of(n1, n2, n3).stream().noneMatch(n -> tags(n).contains("fragile"))
                        && !SnapshotStore.open(storeC).tags().contains("fragile")
                        && !SnapshotStore.open(storeA).tags().contains("fragile"));
        Waits.sleep(6_000); // longer than a re-registration round: the tag must not come back
        assertThat(tags(n3)).doesNotContain("fragile").contains("greeter");
        assertThat(call(n3, "fragile", "add", "1, 1").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> call(NodeProcess n, String ref, String function, String args) {
        return n.post("/v1/snapshots/" + ref + "/functions/" + function, "{\"args\": [" + args + "]}");
    }

    private static Object result(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getValue("result");
    }

    private static List<String> tags(NodeProcess n) {
        List<String> tags = new ArrayList<>();
        for (Object s : new JsonObject(n.get("/v1/snapshots").body()).getJsonArray("snapshots")) {
            ((JsonObject) s).getJsonArray("tags").forEach(t -> tags.add((String) t));
        }
        return tags;
    }

    private static String digest(NodeProcess n, String ref) {
        return new JsonObject(n.get("/v1/snapshots/" + ref).body()).getString("digest");
    }

    /** The holder entry of {@code node} for a snapshot, as {@code n} sees the index; null if none. */
    private static JsonObject holder(NodeProcess n, String ref, String node) {
        JsonArray holders = new JsonObject(n.get("/v1/snapshots/" + ref).body()).getJsonArray("holders");
        return holders.stream().map(JsonObject.class::cast).filter(h -> h.getString("node").equals(node))
                .findFirst().orElse(null);
    }

    /** The memory blob of a snapshot in a store: the holder path whose directory is that store. */
    private Path memoryBlob(Path store, String ref) throws IOException {
        JsonArray holders = new JsonObject(n2.get("/v1/snapshots/" + ref).body()).getJsonArray("holders");
        String real = store.toRealPath().toString();
        return holders.stream().map(JsonObject.class::cast).filter(h -> h.getString("path").startsWith(real + "/"))
                .map(h -> Path.of(h.getString("path"))).findFirst()
                .orElseThrow(() -> new AssertionError("no holder of " + ref + " in " + store + ": " + holders));
    }

    private record MappedFile(String path, long inode) {
    }

    /** The mapping of {@code file} in the node's /proc/PID/maps (the path and inode the kernel reports). */
    private static MappedFile mapped(NodeProcess n, Path file) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(n.pid()), "maps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[5].equals(file.toString())) {
                return new MappedFile(f[5], Long.parseLong(f[4]));
            }
        }
        throw new AssertionError(n + " does not map " + file);
    }

    private static long inode(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
