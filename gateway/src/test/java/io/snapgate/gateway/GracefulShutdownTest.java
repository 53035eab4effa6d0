package io.snapgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** Closing a gateway lets the calls in flight finish, then refuses new connections. */
class GracefulShutdownTest {
    @Test
    void callsInFlightFinishThenTheGatewayIsGone() throws InterruptedException {
        try (TestGateway gw = TestGateway.start()) {
            assertFinishesThenCloses(gw);
        }
    }

    private static void assertFinishesThenCloses(TestGateway gw) throws InterruptedException {
        gw.call("testguest", "noop"); // warm: the snapshot is loaded
        Future<HttpResponse<Buffer>> inFlight = gw.client().post("/v1/snapshots/testguest/functions/spin_for_ms")
                .sendJsonObject(new JsonObject().put("args", new JsonArray().add(400)));
        Thread.sleep(150);
        long start = System.nanoTime();
        gw.gateway().close().await();
        assertThat((System.nanoTime() - start) / 1_000_000).as("close waited for the call").isGreaterThan(100);

        HttpResponse<Buffer> finished = inFlight.await();
        assertThat(finished.statusCode()).as(finished.bodyAsString()).isEqualTo(200);
        assertThatThrownBy(() -> gw.get("/health")).hasMessageContaining("Connection refused");
    }
}
