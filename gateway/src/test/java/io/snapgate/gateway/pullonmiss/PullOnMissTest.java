package io.snapgate.gateway.pullonmiss;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static io.snapgate.gateway.testing.Waits.ANSWER_S;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snapgate.client.wire.Addresses;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.config.PullOnMissSettings;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotPublisher;
import io.snapgate.gateway.testing.CliRun;
import io.snapgate.gateway.testing.FlakyProxy;
import io.snapgate.gateway.testing.LocalRegistry;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.gateway.testing.Waits;
import io.snapgate.store.SnapshotInfo;
import io.snapgate.store.SnapshotStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A node with {@code pullOnMiss} and an empty store, against a real registry (Debian's Distribution registry on
 * 127.0.0.1) holding hello under {@code snapshots:hello}: the calls that ask for a tag the node lacks cause one
 * pull, counted in the registry's own access log; a tag the registry lacks is 404, remembered; a tampered blob
 * stores nothing; a pull the cluster cannot be told of is served all the same, the failure logged and counted; and
 * without the setting a miss is 404 without a word to the registry.
 */
class PullOnMissTest {
    private static final String MANIFEST = "/v2/snapshots/manifests/";
    private static final long LONG_DEADLINE_MS = 30_000;

    @TempDir
    Path dir;
    LocalRegistry registry;
    SnapshotInfo hello;

    @BeforeEach
    void pushHello() throws IOException {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.anonymous(Files.createDirectories(dir.resolve("registry")));
        String built = dir.resolve("built").toString();
        CliRun examples = CliRun.of(Map.of(), "ls", "--store", built, "--examples", "true");
        assertThat(examples.status()).as(examples.err()).isZero();
        hello = SnapshotStore.openExisting(Path.of(built)).inspect("hello");
        CliRun push = CliRun.of(Map.of(), "push", "--store", built, "hello", registry.host() + "/snapshots:hello");
        assertThat(push.status()).as(push.err()).isZero();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    /** A node with an empty store that pulls misses from {@code registryHost}'s repository snapshots. */
    private static TestGateway node(String registryHost, String... more) {
        Map<ConfigKey, String> settings = new EnumMap<>(ConfigKey.class);
        settings.put(ConfigKey.EXAMPLES, "false");
        settings.put(ConfigKey.PULL_ON_MISS, registryHost + "/snapshots:{tag}");
        for (int i = 0; i < more.length; i += 2) {
            settings.put(ConfigKey.valueOf(more[i]), more[i + 1]);
        }
        return TestGateway.start(settings);
    }

    @Test
    void callsOverEveryFrontAskingAtOnceCauseOnePullThenAreServed() throws Exception {
        // A session open waits for a pull within the default deadline: as long as a call's longest here
        try (FlakyProxy slow = FlakyProxy.start(registry.host());
                TestGateway gw = node(slow.host(), "DEFAULT_DEADLINE_MS", String.valueOf(LONG_DEADLINE_MS))) {
            CountDownLatch release = slow.hold(line -> line.equals("GET " + MANIFEST + "hello"));
            List<Future<String>> answers = new ArrayList<>();
            Future<HttpResponse<Buffer>> session;
            try { // released however this part ends: held, the request would keep the node's pull (and close) waiting
                for (int i = 0; i < 6; i++) {
                    answers.add(restCall(gw, "rest" + i));
                }
                answers.add(busCall(gw, "bus"));
                answers.add(webSocketCall(gw, "ws"));
                session = gw.client().post("/v1/sessions")
                        .sendJsonObject(new JsonObject().put("snapshot", "hello"));
                int waiting = answers.size() + 1;
                Waits.until(waiting + " calls wait for the pull", Duration.ofSeconds(30),
                        () -> metric(gw, "snapgate_pulls_on_miss_waiting") == waiting);

                HttpResponse<Buffer> impatient = gw.post("/v1/snapshots/hello/functions/greet",
                        new JsonObject().put("args", new JsonArray().add("x")).put("deadlineMs", 200));
                assertThat(error(impatient, 503, "UNAVAILABLE").getString("message"))
                        .contains("being pulled from " + slow.host() + "/snapshots:hello", "retry");
                assertThat(impatient.getHeader("Retry-After")).isEqualTo("1");
                assertThat(registry.requests("GET", MANIFEST + "hello")).as("held in the proxy").isZero();
            } finally {
                release.countDown();
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).timeout(ANSWER_S, SECONDS).await()).isEqualTo("Hello, " + (i < 6 ? "rest" + i
                        : i == 6 ? "bus" : "ws") + "!");
            }
            JsonObject opened = json(session.await(), 201);
            assertThat(result(gw.post("/v1/sessions/" + opened.getString("id") + "/functions/greet",
                    new JsonObject().put("args", new JsonArray().add("session"))))).isEqualTo("Hello, session!");
            assertThat(result(gw.call("hello", "greet", "later"))).isEqualTo("Hello, later!");

            awaitRequests("/v2/snapshots/blobs/" + hello.memoryDigest(), 1);
            assertThat(registry.requests("GET", MANIFEST + "hello")).isEqualTo(1);
            assertThat(metric(gw, "snapgate_pulls_on_miss_started_total")).isEqualTo(1);
            assertThat(metric(gw, "snapgate_pulls_on_miss_total{outcome=\"ok\"")).isEqualTo(1);
            assertThat(metric(gw, "snapgate_pulls_on_miss_bytes_total")).isEqualTo(hello.memorySize());
            assertThat(SnapshotStore.openExisting(gw.store()).resolve("hello")).isEqualTo(hello.manifestDigest());
        }
    }

    @Test
    void aTagTheRegistryLacksIs404AndIsNotAskedForAgainForAWhile() {
        try (TestGateway gw = node(registry.host(), "PULL_ON_MISS_RETRY_MS", "5000")) {
            String message = error(gw.call("none", "greet", "x"), 404, "UNKNOWN_SNAPSHOT").getString("message");
            assertThat(message).contains("registry " + registry.host() + " has none", "snapshots:none");
            awaitRequests(MANIFEST + "none", 1);

            assertThat(error(gw.call("none", "greet", "x"), 404, "UNKNOWN_SNAPSHOT").getString("message"))
                    .contains("has none", "the registry is asked again in");
            assertThat(error(gw.post("/v1/sessions", new JsonObject().put("snapshot", "none")), 404,
                    "UNKNOWN_SNAPSHOT").getString("message")).contains("has none");
            assertThat(registry.requests("GET", MANIFEST + "none")).as("remembered").isEqualTo(1);
            assertThat(metric(gw, "snapgate_pulls_on_miss_total{outcome=\"unknown_snapshot\"")).isEqualTo(1);

            Waits.until("the registry is asked again once the failure is forgotten", Duration.ofSeconds(20), () -> {
                gw.call("none", "greet", "x");
                return registry.requests("GET", MANIFEST + "none") == 2;
            });
            assertThat(SnapshotStore.openExisting(gw.store()).tags()).isEmpty();
        }
    }

    @Test
    void aTamperedBlobIsRefusedWithNothingStored() throws IOException {
        registry.tamper(hello.memoryDigest());
        try (TestGateway gw = node(registry.host())) {
            assertThat(error(gw.call("hello", "greet", "x"), 502, "REGISTRY_ERROR").getString("message"))
                    .contains(registry.host() + "/snapshots:hello", "refused, nothing stored", "digest mismatch",
                            hello.memoryDigest());
            HttpResponse<Buffer> again = gw.call("hello", "greet", "x");
            assertThat(error(again, 502, "REGISTRY_ERROR").getString("message")).contains("digest mismatch");
            assertThat(again.getHeader("Retry-After")).isNotNull();
            assertThat(registry.requests("GET", MANIFEST + "hello")).isEqualTo(1);
            assertThat(metric(gw, "snapgate_pulls_on_miss_total{outcome=\"registry_error\"")).isEqualTo(1);

            SnapshotStore store = SnapshotStore.openExisting(gw.store());
            assertThat(store.tags()).isEmpty();
            try (Stream<Path> blobs = Files.list(store.directory().resolve("blobs/sha256"))) {
                assertThat(blobs).isEmpty();
            }
        }
    }

    /**
     * The announce after a pull fails (a cluster that cannot be told, here an announce hook that throws): the
     * snapshot is this node's all the same, so the call waiting for it is served and the next finds it in the store;
     * the failure is logged once with the tag, digest and registry, and counted, while the pull counts as ok.
     */
    @Test
    void aPullTheClusterCannotBeToldOfIsServedAndItsFailureLoggedAndCounted() throws IOException {
        Vertx vertx = Vertx.vertx();
        Logger logger = (Logger) LoggerFactory.getLogger(PullOnMiss.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (SnapshotCatalog catalog = new SnapshotCatalog(vertx,
                SnapshotStore.open(Files.createDirectories(dir.resolve("node"))))) {
            SnapshotPublisher publisher = new SnapshotPublisher(vertx, catalog, (tag, digest) -> {
                throw new IllegalStateException("the cluster is not running");
            }, entry -> Future.succeededFuture());
            GatewayMetrics metrics = new GatewayMetrics();
            PullOnMiss misses = new PullOnMiss(vertx, catalog, publisher, Optional.of(new PullOnMissSettings(
                    registry.host() + "/snapshots:{tag}", Duration.ofSeconds(10))), Optional.empty(),
                    Duration.ofMillis(LONG_DEADLINE_MS), metrics);
            long deadline = System.nanoTime() + MILLISECONDS.toNanos(LONG_DEADLINE_MS);

            SnapshotEntry pulled = misses.lookup("hello", deadline).timeout(ANSWER_S, SECONDS).await();
            assertThat(pulled.digest()).isEqualTo(hello.manifestDigest());
            assertThat(misses.lookup("hello", deadline).timeout(ANSWER_S, SECONDS).await().digest())
                    .as("the next from the store").isEqualTo(pulled.digest());
            assertThat(registry.requests("GET", MANIFEST + "hello")).isEqualTo(1);
            assertThat(metric(metrics.scrape(), "snapgate_pulls_on_miss_unannounced_total")).isEqualTo(1);
            assertThat(metric(metrics.scrape(), "snapgate_pulls_on_miss_total{outcome=\"ok\"")).isEqualTo(1);
            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("pulled hello (" + hello.manifestDigest() + ") from " + registry.host()
                            + "/snapshots:hello", "the cluster could not be told", "the cluster is not running");
        } finally {
            logger.detachAppender(logged);
            vertx.close().await();
        }
    }

    @Test
    void withoutTheSettingAMissIs404AndTheRegistryHearsNothing() throws IOException {
        // The node knows the registry (its credentials, and a pull it was asked for), so a pull would reach it
        Path auth = Files.writeString(dir.resolve("auth.json"), new JsonObject().put("auths", new JsonObject()
                .put(registry.host(), new JsonObject().put("auth", Base64.getEncoder()
                        .encodeToString("user:secret".getBytes(StandardCharsets.UTF_8))))).encode());
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.EXAMPLES, "false", ConfigKey.REGISTRY_AUTH,
                auth.toString()))) {
            json(gw.post("/v1/snapshots?tag=asked&from=" + URLEncoder.encode(registry.host() + "/snapshots:hello",
                    StandardCharsets.UTF_8), Buffer.buffer()), 201);
            awaitRequests(MANIFEST + "hello", 1);
            error(gw.call("hello", "greet", "x"), 404, "UNKNOWN_SNAPSHOT");
            error(gw.post("/v1/sessions", new JsonObject().put("snapshot", "hello")), 404, "UNKNOWN_SNAPSHOT");
        }
        assertThat(registry.requests("GET", MANIFEST + "hello")).as("the asked pull's only").isEqualTo(1);
    }

    /**
     * Waits until the registry logged {@code expected} GETs of {@code path}: it logs a response once sent, which
     * for a blob can be just after its last byte reached the node.
     */
    private void awaitRequests(String path, long expected) {
        Waits.until("the registry logged " + expected + " GET " + path, Duration.ofSeconds(10),
                () -> registry.requests("GET", path) == expected);
    }

    private static Future<String> restCall(TestGateway gw, String name) {
        return gw.client().post("/v1/snapshots/hello/functions/greet")
                .sendJsonObject(new JsonObject().put("args", new JsonArray().add(name))
                        .put("deadlineMs", LONG_DEADLINE_MS))
                .map(r -> (String) result(r));
    }

    private static Future<String> busCall(TestGateway gw, String name) {
        return gw.gateway().vertx().eventBus().<JsonObject>request(Addresses.CALL, new JsonObject()
                        .put("snapshot", "hello").put("function", "greet").put("args", new JsonArray().add(name))
                        .put("deadlineMs", LONG_DEADLINE_MS))
                .map(Message::body).map(b -> b.getString("result"));
    }

    private static Future<String> webSocketCall(TestGateway gw, String name) {
        WebSocketClient client = gw.clients().createWebSocketClient();
        return client.connect(gw.gateway().port(), "127.0.0.1", "/v1/ws").compose(ws -> {
            Promise<String> answer = Promise.promise();
            ws.textMessageHandler(text -> answer.tryComplete(new JsonObject(text).getString("result")));
            return ws.writeTextMessage(new JsonObject().put("id", 1).put("snapshot", "hello").put("function", "greet")
                            .put("args", new JsonArray().add(name)).put("deadlineMs", LONG_DEADLINE_MS).encode())
                    .compose(v -> answer.future()).eventually(() -> closed(ws, client));
        });
    }

    private static Future<Void> closed(WebSocket ws, WebSocketClient client) {
        return ws.close().eventually(client::close);
    }

    /** The sum of the node's metric lines that start with {@code prefix} (a name, or a name and its labels). */
    private static double metric(TestGateway gw, String prefix) {
        return metric(gw.get("/metrics").bodyAsString(), prefix);
    }

    /** The sum of the lines of a Prometheus text exposition that start with {@code prefix}. */
    private static double metric(String exposition, String prefix) {
        return exposition.lines()
                .filter(l -> l.startsWith(prefix) && " {},".indexOf(l.charAt(prefix.length())) >= 0)
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
