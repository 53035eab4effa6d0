package io.snapgate.gateway.http;

import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes every failed request as {@code {"error": {"code", "message", ...}}} with the status of its code (and
 * Retry-After when the error has one). The router's only failure handler; no stack trace reaches a client.
 */
final class FailureHandler implements Handler<RoutingContext> {
    @Override
    public void handle(RoutingContext ctx) {
        write(ctx, ctx.failure() != null ? Errors.answer(ctx.failure()) : Errors.fromStatus(ctx.statusCode()));
    }

    static void write(RoutingContext ctx, GatewayException error) {
        write(ctx.response(), error);
    }

    static void write(HttpServerResponse response, GatewayException error) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (error.retryAfterSeconds() > 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
        response.end(error.toBody().toBuffer());
    }
}
