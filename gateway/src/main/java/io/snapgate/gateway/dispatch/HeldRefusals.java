package io.snapgate.gateway.dispatch;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.SnapgateException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Holds a client's OVERLOADED answer for {@link #DELAY_MS} (sooner at the call's deadline). A client that retries at
 * once, as a load generator does, would otherwise turn refusals into a flood of its own that keeps the event loops
 * from every other tenant's calls; held this long, each of its connections asks at most a few times a second (the
 * answer's Retry-After asks for longer anyway). Only for answers to clients: a call another node forwarded is
 * answered at once, so that node may try elsewhere.
 */
public final class HeldRefusals {
    /** How long an OVERLOADED answer waits. */
    public static final long DELAY_MS = 200;

    private final Vertx vertx;

    public HeldRefusals(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * {@code answer}, an OVERLOADED failure of it answered {@link #DELAY_MS} after it came, or at {@code deadline} (a
     * {@link System#nanoTime()} value) when that is sooner.
     */
    public <T> Future<T> hold(Future<T> answer, long deadline) {
        return answer.recover(failure -> {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            long delay = Math.min(DELAY_MS, left);
            if (!(failure instanceof SnapgateException e) || e.code() != ErrorCode.OVERLOADED || delay < 1) {
                return Future.failedFuture(failure);
            }
            Promise<T> refused = Promise.promise();
            vertx.setTimer(delay, id -> refused.fail(failure));
            return refused.future();
        });
    }
}
