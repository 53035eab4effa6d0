package io.snapgate.gateway.http;

import io.snapgate.client.ErrorCode;
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
 * <p>From its second chunk on, a body's bytes are reserved in the node's memory budget as they arrive, and given
 * back once it has arrived, failed or been abandoned. (A body that comes in one chunk, as a call's JSON does, costs
 * the budget nothing: one chunk per connection is what the HTTP decoder holds anyway.) A chunk the budget refuses
 * waits while the workers evict idle cached sandboxes to make room; if it still does not fit, the request is
 * answered 503 OVERLOADED and the rest of its body is read and dropped.
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
        request.handler(body::chunk);
        request.endHandler(v -> {
            body.release();
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
        private boolean done;

        Receiving(RoutingContext ctx) {
            this.ctx = ctx;
        }

        void chunk(Buffer chunk) {
            if (failed) {
                return;
            }
            if (bytes.length() + (long) chunk.length() > limit) {
                fail(413);
                return;
            }
            if (bytes.length() == 0) {
                bytes.appendBuffer(chunk);
                return;
            }
            if (reserved == 0) { // the second chunk: from now on the body is reserved, the first chunk with it
                ctx.request().exceptionHandler(e -> release()); // the client went away half-way
            }
            long needed = chunk.length() + (reserved == 0 ? bytes.length() : 0);
            if (budget.tryReserve(MemoryUse.REQUEST_BODIES, needed)) {
                take(chunk, needed);
                return;
            }
            ctx.request().pause();
            makeRoom.apply(needed).onComplete(v -> {
                if (done) {
                    return;
                }
                if (budget.tryReserve(MemoryUse.REQUEST_BODIES, needed)) {
                    take(chunk, needed);
                } else {
                    release();
                    failed = true;
                    ctx.fail(budget.refusal(MemoryUse.REQUEST_BODIES, needed, "receiving this body"));
                }
                ctx.request().resume();
            });
        }

        private void take(Buffer chunk, long needed) {
            reserved += needed;
            bytes.appendBuffer(chunk);
        }

        private void fail(int status) {
            release();
            failed = true;
            ctx.fail(status);
        }

        /** The body has arrived, failed or been abandoned: its bytes go back to the budget. */
        void release() {
            done = true;
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
