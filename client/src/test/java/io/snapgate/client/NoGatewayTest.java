package io.snapgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client on a Vert.x without a gateway, or with something else at the address, fails with a typed error. */
class NoGatewayTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void withNoGatewayACallIsUnavailable() {
        SnapgateException e = failure(SnapgateClient.create(vertx).call("hello", "greet", "x").mapEmpty());
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).startsWith("no snapgate gateway takes requests at snapgate.call");
    }

    @Test
    void aConsumerThatNeverAnswersRunsOutTheTimeout() {
        vertx.eventBus().consumer("snapgate.snapshots", m -> { });
        SnapgateException e = failure(SnapgateClient.create(vertx, Duration.ofMillis(200)).snapshots().mapEmpty());
        assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("no gateway answered within 200 ms");
    }

    @Test
    void aFailureThatIsNotAGatewaysErrorIsInternalAndSaysWhat() {
        vertx.eventBus().consumer("snapgate.call", m -> m.fail(418, "short and stout"));
        SnapgateException e = failure(SnapgateClient.create(vertx).call("t", "f").mapEmpty());
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.getMessage()).isEqualTo("the recipient failed the request with 418: short and stout");
    }

    @Test
    void aGatewaysErrorArrivesTyped() {
        vertx.eventBus().consumer("snapgate.call", m -> m.fail(404, new JsonObject().put("code", "UNKNOWN_FUNCTION")
                .put("message", "no f").put("functions", 3).encode()));
        SnapgateException e = failure(SnapgateClient.create(vertx).call("t", "f").mapEmpty());
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FUNCTION);
        assertThat(e.details().getInteger("functions")).isEqualTo(3);
        assertThat(e).isNotInstanceOf(ReplyException.class);
    }

    private static SnapgateException failure(io.vertx.core.Future<Void> f) {
        Throwable t = f.transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
        assertThat(t).isInstanceOf(SnapgateException.class);
        return (SnapgateException) t;
    }
}
