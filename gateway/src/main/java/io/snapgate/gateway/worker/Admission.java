package io.snapgate.gateway.worker;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's bounded, fair queue: at most one running job per worker plus {@code maxQueue} waiting (the node's
 * places). Beyond that a job is refused at once (503 with Retry-After), so memory never grows with the load. Once
 * more than half the places are taken, a tenant ({@link Tenant}) that already holds its share, the places divided
 * among the tenants with jobs plus one (never fewer than a job per worker plus one waiting), is refused too: so a
 * flooding tenant is refused first and leaves room for the others, a newcomer finds some, and below half load any
 * tenant may use the idle capacity. Costs a job a map lookup and a few atomic operations; thread-safe without
 * locks.
 */
final class Admission {
    /** What a refused client is told to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final int workers;
    private final int capacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private volatile boolean closed;

    Admission(int workers, int maxQueue) {
        this.workers = workers;
        this.capacity = workers + maxQueue;
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
    }

    /**
     * Takes a place for a job of tenant {@code key}, or throws OVERLOADED (SHUTTING_DOWN once closed). Each admit
     * needs one {@link #release} of the tenant returned, which is also the one to queue the job under.
     */
    Tenant admit(String key) {
        if (closed) {
            throw new GatewayException(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down");
        }
        Tenant tenant = take(key);
        int total = inFlight.incrementAndGet();
        if (total > capacity) {
            release(tenant);
            throw refuse(Refusal.NODE_FULL, "the node is at capacity (" + capacity + " calls running or queued)");
        }
        if (total > capacity / 2) {
            int tenantsNow = active.get();
            int share = Math.max(workers + 1, capacity / (tenantsNow + 1));
            int held = tenant.jobs() - 1; // without this one
            if (held >= share) {
                release(tenant);
                throw refuse(Refusal.TENANT_SHARE, "the node is busy and " + key + " has " + held + " calls running"
                        + " or queued, against its share of " + share + " of the node's " + capacity + " places among "
                        + tenantsNow + " callers");
            }
        }
        return tenant;
    }

    /** The tenant of {@code key} with one more job: the live one, or a new one when it has none. */
    private Tenant take(String key) {
        while (true) {
            Tenant tenant = tenants.get(key);
            if (tenant == null) {
                Tenant first = Tenant.withFirstJob(key, workers);
                if (tenants.putIfAbsent(key, first) == null) {
                    active.incrementAndGet();
                    return first;
                }
            } else if (tenant.take()) {
                return tenant;
            } else {
                tenants.remove(key, tenant); // retired by its last release, which is removing it too
            }
        }
    }

    void release(Tenant tenant) {
        inFlight.decrementAndGet();
        if (tenant.release()) {
            tenants.remove(tenant.key(), tenant);
            active.decrementAndGet();
        }
    }

    private GatewayException refuse(Refusal reason, String why) {
        count(reason);
        return new GatewayException(ErrorCode.OVERLOADED, why + "; retry later", new JsonObject(),
                RETRY_AFTER_SECONDS);
    }

    void count(Refusal reason) {
        refused.get(reason).increment();
    }

    /** Jobs refused for {@code reason} since start. */
    long refused(Refusal reason) {
        return refused.get(reason).sum();
    }

    /** Admitted jobs not finished yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** Tenants with jobs admitted and not finished. */
    int tenants() {
        return active.get();
    }

    /** Refuses every job from now on. */
    void close() {
        closed = true;
    }
}
