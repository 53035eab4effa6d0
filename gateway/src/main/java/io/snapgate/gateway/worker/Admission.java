package io.snapgate.gateway.worker;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's bounded queue: at most one running job per worker plus {@code maxQueue} waiting. Beyond that a
 * job is refused at once (503 with Retry-After), so memory never grows with the load. Thread-safe.
 */
final class Admission {
    /** What a refused client is told to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final int capacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    Admission(int workers, int maxQueue) {
        this.capacity = workers + maxQueue;
    }

    /** Takes a place, or throws OVERLOADED (SHUTTING_DOWN once closed). Each admit needs one {@link #release}. */
    void admit() {
        if (closed) {
            throw new GatewayException(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down");
        }
        if (inFlight.incrementAndGet() > capacity) {
            inFlight.decrementAndGet();
            throw new GatewayException(ErrorCode.OVERLOADED, "the node is at capacity (" + capacity
                    + " calls running or queued); retry later", new JsonObject(), RETRY_AFTER_SECONDS);
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

    /** Admitted jobs not finished yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** Refuses every job from now on. */
    void close() {
        closed = true;
    }
}
