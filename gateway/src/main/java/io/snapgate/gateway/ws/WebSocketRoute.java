package io.snapgate.gateway.ws;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.auth.BearerAuth;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/ws}: upgrades the request (after the router's auth) and serves the connection's calls, admitted
 * under the upgrade's token. A WebSocket only calls, so every token may open one.
 */
public final class WebSocketRoute implements Handler<RoutingContext> {
    private final Dispatcher dispatcher;
    private final int inFlightCap;
    private final long messageLimit;

    public WebSocketRoute(Dispatcher dispatcher, int inFlightCap, long messageLimit) {
        this.dispatcher = dispatcher;
        this.inFlightCap = inFlightCap;
        this.messageLimit = messageLimit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!ctx.request().canUpgradeToWebSocket()) {
            ctx.fail(new GatewayException(ErrorCode.BAD_REQUEST, "/v1/ws takes WebSocket upgrades only"));
            return;
        }
        String tenant = BearerAuth.grant(ctx).tenant();
        ctx.request().toWebSocket()
                .onSuccess(ws -> new CallConnection(ws, dispatcher, tenant, inFlightCap, messageLimit).start())
                .onFailure(ctx::fail);
    }
}
