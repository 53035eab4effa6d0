package io.snapgate.gateway.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets a request on only when its token has {@code scope} (always on a node without tokens); else 403 FORBIDDEN
 * naming the scope. Mounted before a route reads its body, so a refused upload is never read.
 */
public final class RequireScope implements Handler<RoutingContext> {
    private final Scope scope;

    public RequireScope(Scope scope) {
        this.scope = scope;
    }

    @Override
    public void handle(RoutingContext ctx) {
        BearerAuth.grant(ctx).require(scope, ctx.request().method() + " " + ctx.request().path());
        ctx.next();
    }
}
