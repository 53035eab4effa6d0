package io.snapgate.gateway.http;

import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.dispatch.ValidText;
import io.snapgate.gateway.cluster.SessionOps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

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
            String ref = StrictJson.string(body, "snapshot");
            return api.cluster().map(c -> c.localRef(ref)).orElse(Future.succeededFuture(ref))
                    .compose(local -> api.sessions().open(local));
        }));
        router.post("/v1/sessions/:id/functions/:name").handler(Responses.call(this::call));
        router.post("/v1/sessions/:id/restore").handler(Responses.json(200, ctx -> {
            String id = ctx.pathParam("id");
            return onOwner(id, () -> SessionOps.restore(id)).orElseGet(() -> api.sessions().restore(id));
        }));
        router.post("/v1/sessions/:id/snapshot").handler(Responses.json(201, ctx -> {
            String id = ctx.pathParam("id");
            String tag = SnapshotRoutes.requiredTag(ctx, "POST /v1/sessions/ID/snapshot?tag=NAME");
            return onOwner(id, () -> SessionOps.save(id, tag)).orElseGet(() -> api.sessions().save(id, tag))
                    .onSuccess(saved -> ctx.response().putHeader("Location", "/v1/snapshots/" + tag));
        }));
        router.delete("/v1/sessions/:id").handler(Responses.json(204, ctx -> {
            String id = ctx.pathParam("id");
            return onOwner(id, () -> SessionOps.close(id)).map(f -> f.<Void>mapEmpty())
                    .orElseGet(() -> api.sessions().close(id));
        }));
    }

    private Future<JsonObject> call(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        CallRequest request = CallRequest.fromBody(id, ctx.pathParam("name"), StrictJson.object(RawBody.of(ctx)));
        return onOwner(id, () -> SessionOps.call(id, request.function(), request.args(), request.deadlineMs()))
                .orElseGet(() -> api.sessions().call(id, request.function(), request.args(), request.deadlineMs())
                        .map(CallResult::toJson));
    }

    /**
     * In a cluster, the operation forwarded to the node that owns the session, unless it is this one. The message
     * is built only in a cluster: a single node's session calls pay nothing for it.
     */
    private Optional<Future<JsonObject>> onOwner(String id, Supplier<JsonObject> op) {
        return api.cluster().flatMap(c -> c.onOwner(id, op.get()));
    }
}
