package io.snapgate.gateway.http;

import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.StrictJson;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /v1/sessions}: open one on a snapshot, call into it, restore it, end it. */
final class SessionRoutes {
    private final Api api;

    SessionRoutes(Api api) {
        this.api = api;
    }

    void mount(Router router) {
        router.post("/v1/sessions").handler(Responses.json(201, ctx -> {
            JsonObject body = StrictJson.object(RawBody.of(ctx));
            StrictJson.onlyFields(body, Set.of("snapshot"));
            return api.sessions().open(StrictJson.string(body, "snapshot"));
        }));
        router.post("/v1/sessions/:id/functions/:name").handler(Responses.json(200, this::call));
        router.post("/v1/sessions/:id/restore").handler(Responses.json(200,
                ctx -> api.sessions().restore(ctx.pathParam("id"))));
        router.delete("/v1/sessions/:id").handler(Responses.json(204,
                ctx -> api.sessions().close(ctx.pathParam("id"))));
    }

    private io.vertx.core.Future<JsonObject> call(RoutingContext ctx) {
        CallRequest request = CallRequest.fromBody(ctx.pathParam("id"), ctx.pathParam("name"),
                StrictJson.object(RawBody.of(ctx)));
        return api.sessions().call(ctx.pathParam("id"), request.function(), request.args(), request.deadlineMs())
                .map(CallResult::toJson);
    }
}
