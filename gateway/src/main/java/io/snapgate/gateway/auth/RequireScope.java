package io.snapgate.gateway.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets a request on only when its token has {@code scope} (always on a node without tokens); else 403 FORBIDDEN
 * naming the scope and what the route does that needs it. Mounted before a route reads its body, so a refused
 * upload is never read.
 */
public final class RequireScope implements Handler<RoutingContext> {
    private final Scope scope;
    private final String why;

    /** {@code why}: what the route does that needs the scope ("changes snapshots"). */
    public RequireScope(Scope scope, String why) {
        this.scope = scope;
        this.why = why;
    }

    @Override
    public void handle(RoutingContext ctx) {
        BearerAuth.grant(ctx).require(scope, ctx.request().method() + " " + ctx.request().path() + " " + why);
        ctx.next();
    }
}
