package io.snapgate.gateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/**
 * The baselines of the gateway's load test: plain Vert.x doing what the gateway does around a guest call, and
 * nothing else. POST / reads the body, sends it over the event bus to a worker verticle with its own
 * single-thread pool, and answers with the reply. POST /direct answers the body at once on the event loop:
 * the floor of an HTTP round trip here (client, loopback, Netty). {@code scripts/loadtest.sh} runs it beside
 * the gateway so our figures can be given as ratios to these, measured in the same run.
 */
public final class BareEventBusRoute {
    private static final String ADDRESS = "bare.echo";

    private BareEventBusRoute() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                vertx.eventBus().<Buffer>consumer(ADDRESS, message -> message.reply(message.body()));
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName("bare-worker")
                .setWorkerPoolSize(1))
                .compose(id -> {
                    Router router = Router.router(vertx);
                    router.post("/").handler(ctx -> ctx.request().body()
                            .compose(body -> vertx.eventBus().<Buffer>request(ADDRESS, body))
                            .onSuccess(reply -> ctx.response().putHeader("content-type", "application/json")
                                    .end(reply.body()))
                            .onFailure(ctx::fail));
                    router.post("/direct").handler(ctx -> ctx.request().body()
                            .onSuccess(body -> ctx.response().putHeader("content-type", "application/json").end(body))
                            .onFailure(ctx::fail));
                    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
                })
                .onSuccess(server -> System.out.println("bare route listening on " + server.actualPort()))
                .onFailure(e -> {
                    System.err.println("bare route failed to start: " + e.getMessage());
                    System.exit(1);
                });
    }
}
