package io.snapgate.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** Route handlers that answer JSON from a future; a failure goes to the {@link FailureHandler}. */
final class Responses {
    private Responses() {
    }

    /** Answers the future's value as JSON with {@code status} (204 with no body when it is null). */
    static <T> Handler<RoutingContext> json(int status, Function<RoutingContext, Future<T>> handler) {
        return ctx -> {
            Future<T> result;
            try {
                result = handler.apply(ctx);
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            result.onSuccess(value -> {
                if (value == null) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    ctx.response().setStatusCode(status);
                    ctx.json(value);
                }
            }).onFailure(ctx::fail);
        };
    }
}
