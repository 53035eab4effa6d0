package io.snapgate.gateway.dispatch;

import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.Locale;

/**
 * The path of a stateless call, shared by REST, WebSocket and event bus: the deadline, then either this node's
 * workers ({@link LocalCalls}) or, in a cluster, the {@link CallRouter}'s choice of node; the outcome and latency
 * into the metrics. Runs on the caller's event loop; answers there.
 */
public final class Dispatcher {
    private final LocalCalls local;
    private final CallRouter router;
    private final Deadlines deadlines;
    private final GatewayMetrics metrics;
    private final HeldRefusals refusals;

    /** {@code router}: null on a node on its own. */
    public Dispatcher(LocalCalls local, CallRouter router, Deadlines deadlines, GatewayMetrics metrics,
            HeldRefusals refusals) {
        this.local = local;
        this.router = router;
        this.deadlines = deadlines;
        this.metrics = metrics;
        this.refusals = refusals;
    }

    /** A call from a client: routed in a cluster; an OVERLOADED answer held ({@link HeldRefusals}). */
    public Future<CallResult> call(CallRequest request) {
        long start = System.nanoTime();
        long deadline = deadlines.deadline(start, request.deadlineMs());
        return refusals.hold(call(request, router != null, start, deadline), deadline);
    }

    /** A call another node routed here: always on this node's workers, answered as soon as it can be. */
    public Future<CallResult> callHere(CallRequest request) {
        long start = System.nanoTime();
        return call(request, false, start, deadlines.deadline(start, request.deadlineMs()));
    }

    private Future<CallResult> call(CallRequest request, boolean routed, long start, long deadline) {
        Future<CallResult> result;
        try {
            result = routed ? router.route(request, deadline) : local.call(request, deadline);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.andThen(r -> metrics.call(outcome(r), System.nanoTime() - start));
    }

    /** {@code ok}, or the error code in lower case. */
    public static String outcome(AsyncResult<?> result) {
        return result.succeeded() ? "ok" : Errors.from(result.cause()).code().name().toLowerCase(Locale.ROOT);
    }
}
