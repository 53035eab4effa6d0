package io.snapgate.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's first requests, sent by the node itself as soon as it is ready, before start returns: the first
 * request a JVM serves loads and compiles the HTTP, routing, JSON and snapshot-loading code (0.2 s here), which
 * the first client would otherwise wait for. Only requests without effects: {@code /health}, and the
 * description of one snapshot (loading that one, as its first call would; never the whole store). They show in
 * the HTTP request metrics; a failure is logged and ignored.
 */
public final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** A warm-up request that takes longer is given up (and start goes on): it must never hold a start back. */
    private static final long TIMEOUT_MS = 10_000;

    private WarmUp() {
    }

    /**
     * {@code host}: the address the server listens on (a wildcard becomes loopback); {@code tag}: a snapshot to
     * describe, if the store has one.
     */
    public static Future<Void> run(Vertx vertx, String host, int port, Optional<String> token, Optional<String> tag) {
        return run(vertx, host, port, token, tag, TIMEOUT_MS);
    }

    static Future<Void> run(Vertx vertx, String host, int port, Optional<String> token, Optional<String> tag,
            long timeoutMs) {
        long start = System.nanoTime();
        HttpClient client = vertx.createHttpClient();
        String target = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        List<String> paths = new ArrayList<>(List.of("/health"));
        tag.ifPresent(t -> paths.add("/v1/snapshots/" + t));
        Future<Void> done = Future.succeededFuture();
        for (String path : paths) {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(target).setPort(port)
                    .setURI(path).setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs);
            token.ifPresent(t -> request.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + t));
            done = done.compose(v -> client.request(request).compose(HttpClientRequest::send)
                    .compose(HttpClientResponse::body).mapEmpty());
        }
        return done.andThen(r -> LOG.debug("warm-up requests {}: {} in {} ms", paths,
                        r.succeeded() ? "done" : r.cause(), (System.nanoTime() - start) / 1_000_000))
                .eventually(client::close)
                .otherwiseEmpty();
    }
}
