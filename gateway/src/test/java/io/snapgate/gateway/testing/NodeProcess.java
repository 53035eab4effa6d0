package io.snapgate.gateway.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in a child JVM started with the test class path ({@code snapgate serve ...}), its output in a log
 * file. Every wait is bounded; {@link #close} ends the process (SIGTERM, then SIGKILL).
 */
public final class NodeProcess implements AutoCloseable {
    private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:+UseSerialGC", "-Xmx192m", "-XX:MaxMetaspaceSize=128m");
    private static final Pattern LISTENING = Pattern.compile("snapgate listening on http://[^:]+:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private int port;

    private NodeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code snapgate <args>} (extra JVM flags first) with its output in {@code log}. */
    public static NodeProcess start(String name, Path log, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.snapgate.gateway.Main");
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new NodeProcess(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("start " + name, e);
        }
    }

    /** Waits until the node listens (its port is read from its output) and /health is 200. */
    public NodeProcess awaitListening(Duration timeout) {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (port == 0 || health() == null) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + logText());
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(name + " not ready after " + timeout + "; log:\n" + logText());
            }
            Matcher m = LISTENING.matcher(logText());
            if (port == 0 && m.find()) {
                port = Integer.parseInt(m.group(1));
            }
            Waits.sleep(100);
        }
        return this;
    }

    /** Waits until this node sees {@code members} cluster members. */
    public NodeProcess awaitMembers(int members, Duration timeout) {
        Waits.until(name + " sees " + members + " members", timeout, () -> {
            JsonObject health = health();
            return health != null && health.getJsonObject("cluster").getInteger("size") == members;
        });
        return this;
    }

    public JsonObject cluster() {
        return new JsonObject(get("/health").body()).getJsonObject("cluster");
    }

    /** This node's cluster id. */
    public String node() {
        return cluster().getString("node");
    }

    public long pid() {
        return process.pid();
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The /health body while the node answers 200, else null. */
    private JsonObject health() {
        try {
            HttpResponse<String> r = get("/health");
            return r.statusCode() == 200 ? new JsonObject(r.body()) : null;
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> send(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Sends a POST over HTTP/1.1 and returns at once: for a call that is to be in flight when something happens to
     * the node. (Over HTTP/2, JDK 17's client fails every stream of a connection that receives GOAWAY, the
     * server's graceful-shutdown notice, even the streams GOAWAY says will still be answered.)
     */
    public CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        return HTTP.sendAsync(HttpRequest.newBuilder(uri(path)).version(HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> upload(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code POST path} with a JavaScript script as the body. */
    public HttpResponse<String> uploadScript(String path, String script) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/javascript")
                .POST(HttpRequest.BodyPublishers.ofString(script)));
    }

    /** The Prometheus value of a counter sample such as {@code snapgate_fetches_total{outcome="ok"}}; 0 if absent. */
    public double metric(String sample) {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The node's URL for {@code path} (for tools such as wrk). */
    public String url(String path) {
        return uri(path).toString();
    }

    private URI uri(String path) {
        if (port == 0) {
            return URI.create("http://127.0.0.1:1" + path); // not listening yet: refused at once
        }
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as an operator's stop sends; returns the exit status, or fails after {@code timeout}. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running " + timeout + " after SIGTERM; log:\n" + logText());
        }
        return process.exitValue();
    }

    /** SIGKILL, and wait for the process to be gone. */
    public void kill9() {
        process.destroyForcibly();
        waitGone();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            waitGone();
        }
    }

    private void waitGone() {
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + ", port " + port + "]";
    }
}
