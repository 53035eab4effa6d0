package io.snapgate.gateway.http;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.MemoryUse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * {@code GET /health}: liveness (it answers) and readiness (200 while taking calls, 503 while starting or
 * draining), with the backend, the worker count, whether the snapshot store can be read, the memory budget and
 * what is reserved in it, and, in a cluster, this node's id and the members.
 * {@code GET /metrics}: the Prometheus text. Both open.
 */
final class HealthRoutes {
    private final Api api;

    HealthRoutes(Api api) {
        this.api = api;
    }

    void mount(Router router) {
        router.get("/health").handler(ctx -> {
            boolean ready = api.ready().getAsBoolean();
            ctx.response().setStatusCode(ready ? 200 : 503);
            JsonObject health = new JsonObject()
                    .put("status", ready ? "UP" : "DRAINING")
                    .put("live", true)
                    .put("ready", ready)
                    .put("backend", api.backend())
                    .put("workers", api.pool().workers().size())
                    .put("callsInFlight", api.pool().inFlight())
                    .put("sessions", api.sessions().size())
                    .put("store", api.catalog().unavailable().map(why -> "unavailable: " + why).orElse("ok"))
                    .put("memory", memory(api.budget()));
            api.cluster().ifPresent(c -> health.put("cluster", c.health()));
            ctx.json(health);
        });
        router.get("/metrics").handler(PrometheusScrapingHandler.create(api.metrics().registry()));
    }

    /**
     * {@code {"budgetBytes", "reservedBytes", "sessions", "cachedSandboxes", "cachedVcpus", "builds",
     * "requestBodies"}}.
     */
    private static JsonObject memory(MemoryBudget budget) {
        JsonObject memory = new JsonObject().put("budgetBytes", budget.budget())
                .put("reservedBytes", budget.reserved());
        for (MemoryUse use : MemoryUse.values()) {
            memory.put(use.label(), budget.reserved(use));
        }
        return memory;
    }
}
