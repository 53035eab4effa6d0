package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /health} and {@code GET /metrics}. */
class HealthMetricsTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void healthReportsLivenessReadinessAndBackend() {
        JsonObject health = json(gw.get("/health"), 200);
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getBoolean("live")).isTrue();
        assertThat(health.getBoolean("ready")).isTrue();
        assertThat(health.getString("backend")).as("the backend auto chose, never auto")
                .isEqualTo(VcpuBackends.detect().name());
        assertThat(health.getInteger("workers")).isEqualTo(2);
        JsonObject memory = health.getJsonObject("memory");
        assertThat(memory.getLong("budgetBytes")).isEqualTo(MemoryBudget.derived());
        assertThat(memory.fieldNames()).containsExactlyInAnyOrder("budgetBytes", "reservedBytes", "sessions",
                "cachedSandboxes", "cachedVcpus", "builds", "requestBodies");
        assertThat(memory.getLong("reservedBytes")).as("the sandboxes mapped at start, and any vCPUs they keep")
                .isEqualTo(memory.getLong("cachedSandboxes") + memory.getLong("cachedVcpus")).isPositive();
    }

    @Test
    void metricsArePrometheusText() {
        result(gw.call("hello", "add", 1, 2));
        gw.call("hello", "nope");
        String text = gw.get("/metrics").bodyAsString();
        assertThat(text)
                .contains("snapgate_calls_total{outcome=\"ok\"}")
                .contains("snapgate_calls_total{outcome=\"unknown_function\"}")
                .contains("snapgate_call_duration_seconds_bucket{outcome=\"ok\",le=\"0.001\"}")
                .contains("snapgate_queue_depth ")
                .contains("snapgate_workers_busy ")
                .contains("snapgate_sandboxes_mapped ")
                .contains("snapgate_sessions_open ")
                .contains("snapgate_calls_in_flight ")
                .contains("snapgate_memory_reserved_bytes{use=\"sessions\"} ")
                .contains("snapgate_memory_reserved_bytes{use=\"cachedSandboxes\"} ")
                .contains("snapgate_memory_reserved_bytes{use=\"cachedVcpus\"} ")
                .contains("vertx_http_server_requests_total");
        assertThat(text).containsPattern("snapgate_memory_budget_bytes [1-9]")
                .containsPattern("snapgate_store_bytes [1-9]")
                .containsPattern("snapgate_store_free_bytes [1-9]");
    }
}
