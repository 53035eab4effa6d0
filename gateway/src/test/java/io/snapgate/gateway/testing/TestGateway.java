package io.snapgate.gateway.testing;

import io.snapgate.gateway.Gateway;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway for a test: in process, on a free port, over a temporary store holding the example guests
 * (deleted on close), with a WebClient on a Vert.x of its own. Either one per test class
 * ({@code @RegisterExtension static final TestGateway gw = TestGateway.perClass(...)}) or one per test
 * ({@code try (TestGateway gw = TestGateway.start())}). Blocking helpers, for tests that read top to bottom.
 */
public final class TestGateway implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final Map<ConfigKey, String> overrides;
    private Gateway gateway;
    private Vertx clients;
    private WebClient client;
    private Path store;

    private TestGateway(Map<ConfigKey, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** A gateway started before the class's tests and closed after them: two workers, the defaults, the overrides. */
    public static TestGateway perClass(Map<ConfigKey, String> overrides) {
        return new TestGateway(overrides);
    }

    public static TestGateway perClass() {
        return perClass(Map.of());
    }

    /**
     * The settings of a cluster of one, named {@code name} and a random suffix, on a free member port (so the
     * node-to-node routes and addresses exist), plus {@code more}.
     */
    public static Map<ConfigKey, String> clusterOfOne(String name, Map<ConfigKey, String> more) {
        int port = FreePort.onLoopback();
        Map<ConfigKey, String> settings = new EnumMap<>(ConfigKey.class);
        settings.putAll(more);
        settings.putAll(Map.of(ConfigKey.CLUSTER, "true", ConfigKey.CLUSTER_NAME, name + "-" + UUID.randomUUID(),
                ConfigKey.CLUSTER_PORT, String.valueOf(port), ConfigKey.CLUSTER_MEMBERS, "127.0.0.1:" + port));
        return settings;
    }

    /** A gateway started now. */
    public static TestGateway start(Map<ConfigKey, String> overrides) {
        TestGateway gw = new TestGateway(overrides);
        gw.open();
        return gw;
    }

    public static TestGateway start() {
        return start(Map.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void open() {
        store = tempDir();
        try {
            gateway = Gateway.start(config(store, overrides)).await();
        } catch (RuntimeException e) {
            deleteTree(store);
            throw e;
        }
        clients = Vertx.vertx(); // apart from the gateway's, whose metrics then show the server side only
        client = WebClient.create(clients, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(gateway.port()), new PoolOptions().setHttp1MaxSize(64));
    }

    /**
     * The config a test gateway gets: a free port, two workers, the example guests, no warm-up of stored snapshots
     * after the start (a test that waits for a busy worker would find one warming), the overrides.
     */
    public static GatewayConfig config(Path store, Map<ConfigKey, String> overrides) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        settings.put(ConfigKey.PORT, new Setting("0", "test"));
        settings.put(ConfigKey.HOST, new Setting("127.0.0.1", "test"));
        settings.put(ConfigKey.WORKERS, new Setting("2", "test"));
        settings.put(ConfigKey.STORE, new Setting(store.toString(), "test"));
        settings.put(ConfigKey.EXAMPLES, new Setting("true", "test"));
        settings.put(ConfigKey.WARM_AT_START, new Setting("0", "test")); // workers idle at start unless asked
        overrides.forEach((k, v) -> settings.put(k, new Setting(v, "test")));
        return GatewayConfig.from(settings);
    }

    public Gateway gateway() {
        return gateway;
    }

    /** The node's store directory. */
    public Path store() {
        return store;
    }

    /** The clients' Vert.x. */
    public Vertx clients() {
        return clients;
    }

    public WebClient client() {
        return client;
    }

    public HttpResponse<Buffer> get(String path) {
        return send(HttpMethod.GET, path, null);
    }

    public HttpResponse<Buffer> delete(String path) {
        return send(HttpMethod.DELETE, path, null);
    }

    public HttpResponse<Buffer> post(String path, Object body) {
        return send(HttpMethod.POST, path, body);
    }

    /** {@code POST /v1/snapshots?tag=...} (with {@code query} the tag and any sizes) of a JavaScript script. */
    public HttpResponse<Buffer> deployScript(String query, String script) {
        return client.post("/v1/snapshots?" + query).putHeader("Content-Type", "application/javascript")
                .sendBuffer(Buffer.buffer(script)).await();
    }

    /** {@code POST /v1/snapshots/{snapshot}/functions/{function}} with {@code {"args": [...]}}. */
    public HttpResponse<Buffer> call(String snapshot, String function, Object... args) {
        return post("/v1/snapshots/" + snapshot + "/functions/" + function,
                new JsonObject().put("args", new JsonArray(List.of(args))));
    }

    /** The calls the node has counted, of every outcome ({@code snapgate_calls_total}): what reached its dispatch. */
    public double callsCounted() {
        return get("/metrics").bodyAsString().lines().filter(line -> line.startsWith("snapgate_calls_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Sends a JsonObject, a Buffer or raw text (as given, malformed or not), or nothing. */
    public HttpResponse<Buffer> send(HttpMethod method, String path, Object body) {
        HttpRequest<Buffer> request = client.request(method, path);
        if (body == null) {
            return request.send().await();
        }
        Buffer bytes = body instanceof JsonObject json ? json.toBuffer()
                : body instanceof Buffer b ? b : Buffer.buffer(body.toString());
        return request.sendBuffer(bytes).await();
    }

    /** Closes within a minute or fails the test, so that a shutdown that hangs cannot hang the build. */
    @Override
    public void close() {
        client.close();
        try {
            within(clients.close(), "the clients' Vert.x");
            within(gateway.close(), "the gateway");
        } finally {
            deleteTree(store);
        }
    }

    private static void within(Future<Void> closing, String what) {
        try {
            closing.await(1, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not shut down within a minute; its threads:\n" + threads(), e);
        }
    }

    /** Every live thread with its whole stack, so that a hang in CI names where it waits. */
    private static String threads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("snapgate-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything under it; nothing if it is gone already (a test deleted it). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
