package io.snapgate.gateway;

import static io.snapgate.gateway.testing.Responses.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** What a node has done by the time {@link Gateway#start} completes. */
class StartTest {
    @Test
    void everyWorkerHasMappedASandboxOfTheStoresFirstSnapshot() {
        try (TestGateway gw = TestGateway.start()) {
            String first = json(gw.get("/v1/snapshots"), 200).getJsonArray("snapshots").getJsonObject(0)
                    .getJsonArray("tags").getString(0);
            String digest = json(gw.get("/v1/snapshots/" + first), 200).getString("digest");
            assertThat(gw.gateway().workers()).as("workers holding %s", first).hasSize(2)
                    .allMatch(w -> w.holds(digest));
        }
    }
}
