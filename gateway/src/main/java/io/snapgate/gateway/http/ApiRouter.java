package io.snapgate.gateway.http;

import io.snapgate.gateway.auth.BearerAuth;
import io.snapgate.gateway.auth.RequireScope;
import io.snapgate.gateway.auth.Scope;
import io.snapgate.gateway.auth.Tokens;
import io.snapgate.gateway.console.ConsoleRoutes;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.ws.WebSocketRoute;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The gateway's router, in the order requests meet it: health, metrics and the web console's files (open), bearer
 * auth on /v1 when tokens are set, the deploy scope on every route that changes snapshots (and on a snapshot's
 * raw blobs, which only other nodes read), body limits (the ELF
 * upload's own, then the JSON limit on every other route), the routes, and one failure handler that turns every
 * error into {@code {"error": {code, message}}}. {@code GET /v1/openapi.json} describes the API's routes.
 */
public final class ApiRouter {
    private ApiRouter() {
    }

    public static Router create(Vertx vertx, Api api, Tokens tokens) {
        Router router = Router.router(vertx);
        new HealthRoutes(api).mount(router);
        new ConsoleRoutes().mount(router);
        if (tokens.required()) {
            router.route("/v1/*").handler(BearerAuth.create(tokens));
        }
        RequireScope deploy = new RequireScope(Scope.DEPLOY, "changes snapshots"); // each: "x-snapgate-scope": "deploy"
        router.post("/v1/snapshots").handler(deploy);
        router.delete("/v1/snapshots/:tag").handler(deploy);
        router.post("/v1/sessions/:id/snapshot").handler(deploy);
        if (api.cluster().isPresent()) { // a blob is a snapshot's code and memory: what a session saved, secrets too
            router.get(BlobRoutes.PATH).handler(new RequireScope(Scope.DEPLOY, "reads a snapshot's raw blobs"));
        }
        router.route("/v1/*").handler(new ValidPath());
        router.post("/v1/snapshots").handler(new RawBody(api.config().uploadLimit(), api.budget(),
                api.pool()::makeRoom));
        router.route().handler(new RawBody(api.config().bodyLimit(), api.budget(), api.pool()::makeRoom));
        new SnapshotRoutes(vertx, api).mount(router);
        new FunctionRoutes(api).mount(router);
        new SessionRoutes(api).mount(router);
        if (api.cluster().isPresent()) {
            new BlobRoutes(vertx, api).mount(router);
        }
        router.get("/v1/openapi.json").handler(new OpenApiRoute());
        router.get("/v1/ws").handler(new WebSocketRoute(api.dispatcher(), api.config().wsInFlight(),
                api.config().bodyLimit()));
        router.route().failureHandler(new FailureHandler());
        router.errorHandler(404, ctx -> FailureHandler.write(ctx, Errors.fromStatus(404)));
        router.errorHandler(405, ctx -> FailureHandler.write(ctx, Errors.fromStatus(405)));
        return router;
    }
}
