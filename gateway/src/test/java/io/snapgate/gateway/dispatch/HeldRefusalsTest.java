package io.snapgate.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which answers wait, and how long: OVERLOADED only, for the delay or until the deadline when that is sooner. */
class HeldRefusalsTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static Vertx vertx;
    private static HeldRefusals refusals;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        refusals = new HeldRefusals(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anOverloadedAnswerWaitsTheDelay() throws Exception {
        long start = System.nanoTime();
        Throwable failure = failureOf(refusals.hold(Future.failedFuture(overloaded()), NO_DEADLINE));
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(HeldRefusals.DELAY_MS);
        assertThat(failure).isInstanceOf(GatewayException.class).hasMessageContaining("busy");
    }

    @Test
    void aSoonerDeadlineEndsTheWait() throws Exception {
        long start = System.nanoTime();
        failureOf(refusals.hold(Future.failedFuture(overloaded()), start + TimeUnit.MILLISECONDS.toNanos(30)));
        // the wait is whole milliseconds short of the deadline, never past it; well short of the delay
        assertThat(millisSince(start)).isBetween(20L, HeldRefusals.DELAY_MS - 1);
    }

    @Test
    void otherAnswersPassAtOnce() throws Exception {
        GatewayException bad = new GatewayException(ErrorCode.BAD_REQUEST, "bad");
        assertThat(refusals.hold(Future.failedFuture(bad), NO_DEADLINE).cause()).isSameAs(bad);
        assertThat(refusals.hold(Future.succeededFuture("ok"), NO_DEADLINE).result()).isEqualTo("ok");
        long start = System.nanoTime();
        failureOf(refusals.hold(Future.failedFuture(overloaded()), start)); // its deadline has come
        assertThat(millisSince(start)).isLessThan(HeldRefusals.DELAY_MS);
    }

    private static GatewayException overloaded() {
        return new GatewayException(ErrorCode.OVERLOADED, "the node is busy");
    }

    private static Throwable failureOf(Future<?> answer) throws Exception {
        Throwable failure = answer.toCompletionStage().toCompletableFuture().handle((r, t) -> t)
                .get(5, TimeUnit.SECONDS);
        return failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
