package io.snapgate.gateway.http;

import io.snapgate.gateway.auth.BearerAuth;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.dispatch.ValidText;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code /v1/sessions}: open one on a snapshot, call into it, restore it, save it as a snapshot, end it. Sessions
 * live on the node that opened them; in a cluster any node takes their requests and forwards them there (410 once
 * that node is gone).
 */
final class SessionRoutes {
    private final Api api;

    SessionRoutes(Api api) {
        this.api = api;
    }

    void mount(Router router) {
        router.post("/v1/sessions").handler(Responses.json(201, ctx -> {
            JsonObject body = StrictJson.object(RawBody.of(ctx));
            ValidText.require(body);
            StrictJson.onlyFields(body, Set.of("snapshot"));
            return api.sessionRequests().open(StrictJson.string(body, "snapshot"), tenant(ctx));
        }));
        router.post("/v1/sessions/:id/functions/:name").handler(Responses.call(ctx -> {
            String id = ctx.pathParam("id");
            CallRequest request = CallRequest.fromBody(id, ctx.pathParam("name"), StrictJson.object(RawBody.of(ctx)));
            return api.sessionRequests().call(id, request.function(), request.args(), request.deadlineMs(),
                    tenant(ctx));
        }));
        router.post("/v1/sessions/:id/restore").handler(Responses.json(200,
                ctx -> api.sessionRequests().restore(ctx.pathParam("id"), tenant(ctx))));
        router.post("/v1/sessions/:id/snapshot").handler(Responses.json(201, ctx -> {
            String tag = SnapshotRoutes.requiredTag(ctx, "POST /v1/sessions/ID/snapshot?tag=NAME");
            return api.sessionRequests().save(ctx.pathParam("id"), tag, tenant(ctx))
                    .onSuccess(saved -> ctx.response().putHeader("Location", "/v1/snapshots/" + tag));
        }));
        router.delete("/v1/sessions/:id").handler(Responses.json(204,
                ctx -> api.sessionRequests().close(ctx.pathParam("id"))));
    }

    /** Whom the request's work is admitted under: its token's tenant (null without tokens: the snapshot). */
    private static String tenant(RoutingContext ctx) {
        return BearerAuth.grant(ctx).tenant();
    }
}
