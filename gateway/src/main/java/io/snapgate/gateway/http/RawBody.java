package io.snapgate.gateway.http;

import io.snapgate.gateway.error.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.MemoryUse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongFunction;

/**
 * Reads the request body as raw bytes, up to a limit: 413 at once when Content-Length says more, or as soon as
 * the bytes pass it. Unlike Vert.x's BodyHandler it never parses forms, so {@code curl -d} (which labels any body
 * a form) cannot trip a form-field limit. A request without a body (a WebSocket upgrade) passes through.
 *
 * <p>The body's bytes are reserved in the node's memory budget as they arrive and given back when the request
 * ends, however it ends. A chunk the budget refuses waits while the workers evict idle cached sandboxes to make
 * room; if it still does not fit, the request is answered 503 OVERLOADED.
 */
final class RawBody implements Handler<RoutingContext> {
    private static final String KEY = RawBody.class.getName();

    private final long limit;
    private final MemoryBudget budget;
    private final LongFunction<Future<Void>> makeRoom;

    /** {@code makeRoom} evicts idle cached sandboxes until its bytes fit the budget. */
    RawBody(long limit, MemoryBudget budget, LongFunction<Future<Void>> makeRoom) {
        this.limit = limit;
        this.budget = budget;
        this.makeRoom = makeRoom;
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
        Receiving body = new Receiving(ctx);
        ctx.addEndHandler(ended -> body.end());
        request.handler(body::chunk);
        request.endHandler(v -> {
            if (!body.failed) {
                ctx.put(KEY, body.bytes);
                ctx.next();
            }
        });
        request.resume();
    }

    /** One request's body as it arrives, and what it has reserved. On the request's event loop only. */
    private final class Receiving {
        private final RoutingContext ctx;
        private final Buffer bytes = Buffer.buffer();
        private long reserved;
        private boolean failed;
        private boolean ended;

        Receiving(RoutingContext ctx) {
            this.ctx = ctx;
        }

        void chunk(Buffer chunk) {
            if (failed) {
                return;
            }
            if (bytes.length() + (long) chunk.length() > limit) {
                fail(413);
            } else if (budget.tryReserve(MemoryUse.REQUEST_BODIES, chunk.length())) {
                take(chunk);
            } else {
                ctx.request().pause();
                makeRoom.apply(chunk.length()).onComplete(v -> {
                    if (ended) {
                        return;
                    }
                    if (budget.tryReserve(MemoryUse.REQUEST_BODIES, chunk.length())) {
                        take(chunk);
                    } else {
                        failed = true; // the rest is read and dropped, as past the size limit
                        ctx.fail(budget.refusal(MemoryUse.REQUEST_BODIES, chunk.length(), "receiving this body"));
                    }
                    ctx.request().resume();
                });
            }
        }

        private void take(Buffer chunk) {
            reserved += chunk.length();
            bytes.appendBuffer(chunk);
        }

        private void fail(int status) {
            failed = true;
            ctx.fail(status);
        }

        /** The request is over: its bytes go back to the budget. */
        void end() {
            ended = true;
            budget.release(MemoryUse.REQUEST_BODIES, reserved);
            reserved = 0;
        }
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "Content-Length " + length + " is not a number");
        }
    }
}
