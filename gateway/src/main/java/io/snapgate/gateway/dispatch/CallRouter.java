package io.snapgate.gateway.dispatch;

import io.vertx.core.Future;

/** Decides where a stateless call runs when this node is one of several, and runs it there. */
public interface CallRouter {
    /** Answers the call, run on this node or another; {@code deadline} is in {@link System#nanoTime()} terms. */
    Future<CallResult> route(CallRequest request, long deadline);
}
