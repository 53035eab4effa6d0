package io.snapgate.gateway.worker;

import static io.snapgate.gateway.testing.Responses.json;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.testing.GuestVariants;
import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deploy warms its snapshot before it answers, on the worker its calls go to: that worker maps a sandbox of it
 * and holds a vCPU that ran its dispatcher, so the first client call finds that work done; a start warms the
 * snapshots already stored the same way, soon after it is ready. Also the metrics of the workers' idle sandboxes.
 */
class DeployWarmUpTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(ConfigKey.WARM_AT_START, "64"));

    private static double metric(String name) {
        return gw.get("/metrics").bodyAsString().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Exactly one worker maps it, the one its calls go to, with a vCPU. */
    private static void assertWarmWhereCallsGo(String digest) {
        List<Worker> holders = gw.gateway().workers().stream().filter(w -> w.holds(digest)).toList();
        assertThat(holders).hasSize(1);
        Worker holder = holders.get(0);
        assertThat(holder.state().cachedWithVcpu()).as("its sandboxes holding a vCPU").isPositive();
    }

    @Test
    void anUploadIsWarmWhereItsCallsGoWhenItIsAnswered() {
        // The start's warm-up of the stored snapshots caches sandboxes too: the counts below are taken after it
        gw.gateway().warmedAtStart().timeout(60, TimeUnit.SECONDS).await();
        double vcpus = metric("snapgate_sandboxes_cached_vcpus");
        double vcpuBytes = metric("snapgate_memory_reserved_bytes{use=\"cachedVcpus\"}");
        double cached = metric("snapgate_sandboxes_cached");
        byte[] elf = GuestVariants.variant(ExampleGuests.elf("testguest"), 42);
        JsonObject built = json(gw.post("/v1/snapshots?tag=warm", Buffer.buffer(elf)), 201);
        String digest = built.getString("digest");

        assertWarmWhereCallsGo(digest);
        assertThat(metric("snapgate_sandboxes_cached")).isEqualTo(cached + 1);
        assertThat(metric("snapgate_sandboxes_cached_vcpus")).isEqualTo(vcpus + 1);
        assertThat(metric("snapgate_memory_reserved_bytes{use=\"cachedVcpus\"}")).as("its vCPU's charge")
                .isEqualTo(vcpuBytes + CacheLimits.VCPU_BYTES);
        assertThat(metric("snapgate_memory_reserved_bytes{use=\"cachedSandboxes\"}")).as("its reservation")
                .isGreaterThanOrEqualTo(2_000_000.0);
        assertThat(result(gw.call("warm", "add", 2, 3))).isEqualTo(5);
        assertThat(metric("snapgate_sandboxes_cached")).as("the call used the warm sandbox").isEqualTo(cached + 1);
    }

    @Test
    void theSnapshotsStoredBeforeTheStartAreWarmedAfterIt() throws InterruptedException {
        // The examples (C and JavaScript) were installed into the store before the workers existed: no deploy warmed
        List<String> digests = json(gw.get("/v1/snapshots"), 200).getJsonArray("snapshots").stream()
                .map(s -> ((JsonObject) s).getString("digest")).toList();
        assertThat(digests).hasSizeGreaterThan(2);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> cold = digests;
        while (!cold.isEmpty() && System.nanoTime() - giveUp < 0) {
            Thread.sleep(50);
            cold = digests.stream().filter(d -> gw.gateway().workers().stream().noneMatch(w -> w.holds(d))).toList();
        }
        assertThat(cold).as("snapshots no worker has mapped a minute after the start").isEmpty();
    }

    @Test
    void aSessionSavedAsATagIsWarmToo() {
        String id = json(gw.post("/v1/sessions", new JsonObject().put("snapshot", "testguest")), 201).getString("id");
        assertThat(result(gw.post("/v1/sessions/" + id + "/functions/add_to_static",
                new JsonObject().put("args", new io.vertx.core.json.JsonArray().add(7))))).isEqualTo(7);
        JsonObject saved = json(gw.post("/v1/sessions/" + id + "/snapshot?tag=saved-warm", null), 201);
        assertWarmWhereCallsGo(saved.getString("digest"));
        assertThat(result(gw.call("saved-warm", "get_static"))).isEqualTo(7);
        assertThat(gw.delete("/v1/sessions/" + id).statusCode()).isEqualTo(204);
    }
}
