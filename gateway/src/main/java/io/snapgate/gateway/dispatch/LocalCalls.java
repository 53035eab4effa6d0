package io.snapgate.gateway.dispatch;

import io.snapgate.gateway.pullonmiss.PullOnMiss;
import io.snapgate.gateway.snapshot.SnapshotCatalog;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.worker.StatelessCallJob;
import io.snapgate.gateway.worker.WorkerPool;
import io.snapgate.vmm.abi.FunctionSignature;
import io.vertx.core.Future;

/**
 * A stateless call on this node's workers: look up the snapshot in the node's catalog (a tag it lacks pulled from
 * the registry first, when the node is configured to), check the function and coerce the arguments (no guest runs
 * for a bad call), admit it to the node's queue under its tenant (its snapshot unless the request names one), run
 * it, encode the result.
 */
public final class LocalCalls {
    private final SnapshotCatalog catalog;
    private final PullOnMiss misses;
    private final WorkerPool pool;

    public LocalCalls(SnapshotCatalog catalog, PullOnMiss misses, WorkerPool pool) {
        this.catalog = catalog;
        this.misses = misses;
        this.pool = pool;
    }

    public Future<CallResult> call(CallRequest request, long deadline) {
        return misses.lookup(request.snapshot(), deadline).compose(entry -> run(entry, request, deadline));
    }

    private Future<CallResult> run(SnapshotEntry entry, CallRequest request, long deadline) {
        FunctionSignature signature = entry.function(request.function());
        Object[] args = JsonArguments.coerce(signature, request.args());
        String tenant = request.tenant() != null ? request.tenant() : entry.digest();
        return pool.submit(tenant, entry.digest(), new StatelessCallJob(entry, signature.name(), args, deadline),
                        deadline)
                .map(r -> new CallResult(JsonResults.encode(signature.returns(), r.value()), r.durationMicros()));
    }

    /** Whether a worker is idle now (a call admitted now would not wait). */
    public boolean idleWorker() {
        return pool.inFlight() < pool.workers().size();
    }

    /** Calls running or queued per worker. */
    public double load() {
        return (double) pool.inFlight() / pool.workers().size();
    }

    public SnapshotCatalog catalog() {
        return catalog;
    }
}
