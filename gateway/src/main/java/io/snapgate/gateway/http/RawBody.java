package io.snapgate.gateway.http;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the request body as raw bytes, up to a limit: 413 at once when Content-Length says more, or as soon as
 * the bytes pass it. Unlike Vert.x's BodyHandler it never parses forms, so {@code curl -d} (which labels any body
 * a form) cannot trip a form-field limit. A request without a body (a WebSocket upgrade) passes through.
 */
final class RawBody implements Handler<RoutingContext> {
    private static final String KEY = RawBody.class.getName();

    private final long limit;

    RawBody(long limit) {
        this.limit = limit;
    }

    /** The body read for this request (empty when there was none). */
    static Buffer of(RoutingContext ctx) {
        Buffer body = ctx.get(KEY);
        return body == null ? Buffer.buffer() : body;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (ctx.get(KEY) != null || (length == null && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING))) {
            ctx.next();
            return;
        }
        if (length != null && declared(length) > limit) {
            ctx.fail(413);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        request.handler(chunk -> {
            if (!over[0] && body.length() + (long) chunk.length() > limit) {
                over[0] = true;
                ctx.fail(413);
            } else if (!over[0]) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            if (!over[0]) {
                ctx.put(KEY, body);
                ctx.next();
            }
        });
        request.resume();
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "Content-Length " + length + " is not a number");
        }
    }
}
