package io.snapgate.gateway.http;

import io.snapgate.gateway.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One event-loop instance of the HTTP and WebSocket front; the gateway deploys one per core on the same port.
 * Stop is graceful: no new connections, requests in flight are answered (see {@link #stop()}).
 */
public final class HttpVerticle extends VerticleBase {
    /** How long after the grace period the server still waits for answers to calls stopped at its end. */
    private static final long ANSWER_MS = 2_000;

    private final Api api;
    private final Tokens tokens;
    private final int port;
    private HttpServer server;
    private Router router;

    /** {@code tokens}: the node's, checked on /v1 (none: open). */
    public HttpVerticle(Api api, Tokens tokens, int port) {
        this.api = api;
        this.tokens = tokens;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        int messageLimit = (int) Math.min(Integer.MAX_VALUE, api.config().bodyLimit());
        HttpServerOptions options = new HttpServerOptions()
                .setMaxWebSocketFrameSize(messageLimit)
                .setMaxWebSocketMessageSize(messageLimit)
                .setIdleTimeout((int) api.config().idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        server = vertx.createHttpServer(options);
        router = ApiRouter.create(vertx, api, tokens);
        return server.requestHandler(router)
                .invalidRequestHandler(new InvalidRequestHandler(options))
                .listen(port, api.config().host());
    }

    /**
     * Waits for the requests in flight a little longer than the grace period: the pool stops the guests still
     * running at its end, and their callers are answered SHUTTING_DOWN through connections still open.
     */
    @Override
    public Future<?> stop() {
        return server.shutdown(api.config().gracePeriod().toMillis() + ANSWER_MS, TimeUnit.MILLISECONDS);
    }

    /** The router's routes, handlers and middleware (auth, body limits) alike. */
    public List<Route> routes() {
        return router.getRoutes();
    }

    /** The port bound (useful when the configured port is 0). */
    public int actualPort() {
        return server.actualPort();
    }
}
