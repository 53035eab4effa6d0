package io.snapgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The requests a node sends itself before its first client, against a real HTTP server that records them. */
class WarmUpTest {
    private Vertx vertx;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private HttpServer server(int status) {
        return vertx.createHttpServer().requestHandler(request -> {
            seen.add(request.method() + " " + request.path() + " " + request.getHeader("Authorization"));
            request.response().setStatusCode(status).end("{}");
        }).listen(0, "127.0.0.1").await();
    }

    @Test
    void getsHealthThenOneSnapshotWithTheTokenOnLoopbackForAWildcardHost() {
        HttpServer server = server(200);
        WarmUp.run(vertx, "0.0.0.0", server.actualPort(), Optional.of("the-token"), Optional.of("hello")).await();
        assertThat(seen).containsExactly("GET /health Bearer the-token", "GET /v1/snapshots/hello Bearer the-token");
    }

    @Test
    void anEmptyStoreOnlyGetsHealth() {
        HttpServer server = server(200);
        WarmUp.run(vertx, "127.0.0.1", server.actualPort(), Optional.empty(), Optional.empty()).await();
        assertThat(seen).containsExactly("GET /health null");
    }

    @Test
    void aNodeThatNeverAnswersDoesNotHoldItsStartForever() throws TimeoutException {
        HttpServer silent = vertx.createHttpServer().requestHandler(request -> seen.add(request.path()))
                .listen(0, "127.0.0.1").await();
        WarmUp.run(vertx, "127.0.0.1", silent.actualPort(), Optional.empty(), Optional.of("t"), 200)
                .await(10, TimeUnit.SECONDS); // a warm-up that never gave up would fail here, not hang the build
        assertThat(seen).as("given up after the first request's timeout").containsExactly("/health");
    }

    @Test
    void aFailingNodeDoesNotFailItsStart() {
        HttpServer server = server(500);
        WarmUp.run(vertx, "127.0.0.1", server.actualPort(), Optional.empty(), Optional.of("t")).await();
        assertThat(seen).containsExactly("GET /health null", "GET /v1/snapshots/t null");
        int closed = server.actualPort();
        server.close().await();
        WarmUp.run(vertx, "127.0.0.1", closed, Optional.empty(), Optional.empty()).await(); // refused: logged
    }
}
