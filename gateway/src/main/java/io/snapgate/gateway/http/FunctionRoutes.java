package io.snapgate.gateway.http;

import io.snapgate.gateway.auth.BearerAuth;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.StrictJson;
import io.vertx.ext.web.Router;

/**
 * {@code POST /v1/snapshots/{ref}/functions/{name}} with {@code {"args": [...], "deadlineMs": n}}: one call, admitted
 * under the caller's token.
 */
final class FunctionRoutes {
    private final Api api;

    FunctionRoutes(Api api) {
        this.api = api;
    }

    void mount(Router router) {
        router.post("/v1/snapshots/:ref/functions/:name").handler(Responses.call(ctx -> api.dispatcher()
                .call(CallRequest.fromBody(ctx.pathParam("ref"), ctx.pathParam("name"),
                        StrictJson.object(RawBody.of(ctx))).withTenant(BearerAuth.grant(ctx).tenant()))
                .map(CallResult::toJson)));
    }
}
