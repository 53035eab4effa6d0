package io.snapgate.gateway.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * An HTTP proxy in front of a registry, on 127.0.0.1, that breaks one transfer as a failing network would: the
 * response to the first request {@link #cutResponse} picks is cut after some bytes, or the first request
 * {@link #dropRequest} picks is dropped after part of its body arrived (the connection closes, nothing is
 * forwarded); or it {@link #hold}s one request, as a slow registry would. It records every request it sees
 * ({@code "PATCH /v2/... Content-Range: 0-1048575"}).
 */
public final class FlakyProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpServer server;
    private final String upstream;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Fault> fault = new AtomicReference<>();
    private final AtomicReference<Hold> hold = new AtomicReference<>();

    /** What to hold back, once, until released. */
    private record Hold(Predicate<String> request, CountDownLatch released) {
    }

    /** What to break, once. */
    private record Fault(Predicate<String> request, long afterBytes, boolean response) {
    }

    private FlakyProxy(HttpServer server, String upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** A proxy to the registry at {@code upstream} ({@code host:port}). */
    public static FlakyProxy start(String upstream) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            FlakyProxy proxy = new FlakyProxy(server, upstream);
            server.createContext("/", proxy::forward);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}: a loopback registry to snapgate. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Cuts the response to the first request whose line ({@code "GET /v2/..."}) matches, after {@code bytes}. */
    public void cutResponse(Predicate<String> request, long bytes) {
        fault.set(new Fault(request, bytes, true));
    }

    /** Drops the first request whose line matches once {@code bytes} of its body arrived. */
    public void dropRequest(Predicate<String> request, long bytes) {
        fault.set(new Fault(request, bytes, false));
    }

    /**
     * Holds the first request whose line matches (nothing forwarded; the proxy serves nothing else meanwhile) until
     * the latch returned is counted down, or a minute passed.
     */
    public CountDownLatch hold(Predicate<String> request) {
        Hold h = new Hold(request, new CountDownLatch(1));
        hold.set(h);
        return h.released();
    }

    /** The requests seen, each {@code "METHOD path"} and its Range or Content-Range header. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void forward(HttpExchange exchange) throws IOException {
        String line = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        Headers in = exchange.getRequestHeaders();
        String range = in.containsKey("Range") ? " Range: " + in.getFirst("Range")
                : in.containsKey("Content-Range") ? " Content-Range: " + in.getFirst("Content-Range") : "";
        requests.add(line + range);
        Hold h = hold.get();
        if (h != null && h.request().test(line) && hold.compareAndSet(h, null)) {
            try {
                h.released().await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        Fault f = fault.get();
        boolean broken = f != null && f.request().test(line) && fault.compareAndSet(f, null);
        if (broken && !f.response()) {
            exchange.getRequestBody().readNBytes((int) f.afterBytes());
            throw new IOException("proxy drops " + line + " after " + f.afterBytes() + " bytes of its body");
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + upstream
                + exchange.getRequestURI())).method(exchange.getRequestMethod(), body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        in.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v.replace(upstream, host())));
            }
        });
        long length = response.headers().firstValueAsLong("Content-Length").orElse(0);
        boolean empty = exchange.getRequestMethod().equals("HEAD") || response.statusCode() == 204 || length == 0;
        exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : length);
        try (InputStream from = response.body(); OutputStream to = exchange.getResponseBody()) {
            if (broken) {
                to.write(from.readNBytes((int) f.afterBytes()));
                to.flush();
                throw new IOException("proxy cuts " + line + " after " + f.afterBytes() + " bytes");
            }
            if (!empty) {
                from.transferTo(to);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
