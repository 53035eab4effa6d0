package io.snapgate.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.function.Function;

/** Route handlers that answer JSON from a future; a failure goes to the {@link FailureHandler}. */
final class Responses {
    static final String SERVER_TIMING = "Server-Timing";

    private Responses() {
    }

    /** Answers the future's value as JSON with {@code status} (204 with no body when it is null). */
    static <T> Handler<RoutingContext> json(int status, Function<RoutingContext, Future<T>> handler) {
        return ctx -> answer(ctx, handler, value -> {
            if (value == null) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.response().setStatusCode(status);
                ctx.json(value);
            }
        });
    }

    /**
     * Answers a call's {@code {"result", "durationMicros"}} with 200 and a Server-Timing header: {@code gateway},
     * the time from routing the request to its answer, and {@code guest}, the guest's run on the vCPU within it
     * (milliseconds, as the header's syntax has it), so a client can see what the gateway adds to a call.
     */
    static Handler<RoutingContext> call(Function<RoutingContext, Future<JsonObject>> handler) {
        return ctx -> {
            long start = System.nanoTime();
            answer(ctx, handler, answer -> {
                long gatewayMicros = (System.nanoTime() - start) / 1000;
                Long guestMicros = answer.getLong("durationMicros");
                ctx.response().putHeader(SERVER_TIMING, "gateway;dur=" + millis(gatewayMicros)
                        + (guestMicros == null ? "" : ", guest;dur=" + millis(Math.max(0, guestMicros))));
                ctx.json(answer);
            });
        };
    }

    private static <T> void answer(RoutingContext ctx, Function<RoutingContext, Future<T>> handler,
            Consumer<T> onSuccess) {
        Future<T> result;
        try {
            result = handler.apply(ctx);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onSuccess(onSuccess::accept).onFailure(ctx::fail);
    }

    /** Microseconds as milliseconds with three decimals. */
    static String millis(long micros) {
        long fraction = micros % 1000;
        return micros / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
