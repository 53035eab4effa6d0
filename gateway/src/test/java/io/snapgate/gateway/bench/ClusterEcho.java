package io.snapgate.gateway.bench;

import io.snapgate.cluster.ClusterSettings;
import io.snapgate.cluster.ClusteredVertx;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.util.List;

/**
 * The floors of the client benchmark (ClientBench): a clustered Vert.x node that does nothing but answer, as a
 * gateway node is set up (same Hazelcast settings, native transport, one event-loop verticle). Address
 * {@value #ADDRESS} replies with the message it got; POST / answers with its body on the event loop. Arguments:
 * cluster name, member port, members (comma-separated).
 */
public final class ClusterEcho {
    public static final String ADDRESS = "bench.echo";

    private ClusterEcho() {
    }

    public static void main(String[] args) {
        ClusterSettings settings = ClusterSettings.defaults().withClusterName(args[0])
                .withPort(Integer.parseInt(args[1]), false).withMembers(List.of(args[2].split(",")));
        Vertx vertx = ClusteredVertx.start(settings, Vertx.builder().with(new VertxOptions()
                .setPreferNativeTransport(true))).await().vertx();
        Echo echo = new Echo();
        vertx.deployVerticle(echo).await();
        System.out.println("echo listening on " + echo.server.actualPort());
    }

    private static final class Echo extends VerticleBase {
        private HttpServer server;

        @Override
        public Future<?> start() {
            vertx.eventBus().consumer(ADDRESS, m -> m.reply(m.body()));
            server = vertx.createHttpServer().requestHandler(request -> request.body()
                    .onSuccess(body -> request.response().putHeader("content-type", "application/json").end(body)));
            return server.listen(0, "127.0.0.1");
        }
    }
}
