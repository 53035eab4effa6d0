package io.snapgate.gateway.dispatch;

import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.metrics.GatewayMetrics;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.worker.WorkerPool;
import io.snapgate.vmm.abi.FunctionSignature;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.Locale;

/**
 * The path of a stateless call, shared by REST, WebSocket and event bus: look up the snapshot, check the
 * function and coerce the arguments (no guest runs for a bad call), admit it to the node's queue, run it on a
 * worker, encode the result. Runs on the caller's event loop; answers there.
 */
public final class Dispatcher {
    private final SnapshotCatalog catalog;
    private final WorkerPool pool;
    private final Deadlines deadlines;
    private final GatewayMetrics metrics;

    public Dispatcher(SnapshotCatalog catalog, WorkerPool pool, Deadlines deadlines, GatewayMetrics metrics) {
        this.catalog = catalog;
        this.pool = pool;
        this.deadlines = deadlines;
        this.metrics = metrics;
    }

    public Future<CallResult> call(CallRequest request) {
        long start = System.nanoTime();
        long deadline = deadlines.deadline(start, request.deadlineMs());
        return catalog.lookup(request.snapshot())
                .compose(entry -> run(entry, request, deadline))
                .andThen(result -> metrics.call(outcome(result), System.nanoTime() - start));
    }

    private Future<CallResult> run(SnapshotEntry entry, CallRequest request, long deadline) {
        FunctionSignature signature = entry.function(request.function());
        Object[] args = JsonArguments.coerce(signature, request.args());
        return pool.submit(entry.digest(), state -> state.call(entry, signature.name(), args, deadline), deadline)
                .map(r -> new CallResult(JsonResults.encode(signature.returns(), r.value()), r.durationMicros()));
    }

    /** {@code ok}, or the error code in lower case. */
    public static String outcome(AsyncResult<?> result) {
        return result.succeeded() ? "ok" : Errors.from(result.cause()).code().name().toLowerCase(Locale.ROOT);
    }

}
