package io.snapgate.gateway.ws;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.Utf8;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One WebSocket connection: text messages {@code {id, snapshot, function, args, deadlineMs?}}, read as their
 * bytes ({@link WholeMessages}) so that text that is not UTF-8 is refused, not altered, each answered by
 * {@code {id, result, durationMicros}} or {@code {id, error: {code, message}}} as soon as it completes, so
 * answers come in completion order. At most {@code cap} calls in flight; a frame beyond that is answered
 * TOO_MANY_IN_FLIGHT at once. When the gateway shuts down, the calls in flight are answered, later frames are
 * answered SHUTTING_DOWN, and the connection then closes with 1001 (going away). Runs on the connection's event
 * loop only.
 */
final class CallConnection {
    private static final Set<String> TRANSPORT_FIELDS = Set.of("id");
    private static final short GOING_AWAY = 1001;
    private static final short INVALID_PAYLOAD = 1007;

    private final ServerWebSocket ws;
    private final Dispatcher dispatcher;
    private final String tenant;
    private final int cap;
    private final long messageLimit;
    private int inFlight;
    private boolean shuttingDown;

    /** {@code tenant}: whom the connection's calls are admitted under (null: each call's snapshot). */
    CallConnection(ServerWebSocket ws, Dispatcher dispatcher, String tenant, int cap, long messageLimit) {
        this.ws = ws;
        this.dispatcher = dispatcher;
        this.tenant = tenant;
        this.cap = cap;
        this.messageLimit = messageLimit;
    }

    void start() {
        ws.frameHandler(new WholeMessages(ws, messageLimit, this::onText, b -> send(new JsonObject().putNull("id"),
                new GatewayException(ErrorCode.BAD_REQUEST, "send calls as JSON text frames"))));
        ws.shutdownHandler(v -> {
            shuttingDown = true;
            closeIfDone();
        });
    }

    /**
     * A text message that is not UTF-8 fails the connection, as RFC 6455 requires (close status 1007), after an
     * error frame saying where; calls still in flight on it go unanswered.
     */
    private void onText(Buffer bytes) {
        String problem = Utf8.problem(bytes.getBytes());
        if (problem != null) {
            send(new JsonObject().putNull("id"), new GatewayException(ErrorCode.BAD_REQUEST, "WebSocket message: "
                    + problem));
            ws.close(INVALID_PAYLOAD, problem);
            return;
        }
        JsonObject frame;
        CallRequest request;
        try {
            frame = StrictJson.object(bytes.toString(StandardCharsets.UTF_8));
        } catch (GatewayException e) {
            send(new JsonObject().putNull("id"), e);
            return;
        }
        JsonObject reply = new JsonObject().put("id", frame.getValue("id"));
        try {
            request = CallRequest.fromMessage(frame, TRANSPORT_FIELDS).withTenant(tenant);
        } catch (GatewayException e) {
            send(reply, e);
            return;
        }
        if (shuttingDown) {
            send(reply, new GatewayException(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down"));
            return;
        }
        if (inFlight >= cap) {
            send(reply, new GatewayException(ErrorCode.TOO_MANY_IN_FLIGHT, "this connection has " + cap
                    + " calls in flight, its cap; wait for an answer before sending more"));
            return;
        }
        inFlight++;
        dispatcher.call(request).onComplete(result -> {
            inFlight--;
            if (result.succeeded()) {
                write(reply.mergeIn(result.result().toJson()));
            } else {
                send(reply, result.cause());
            }
            closeIfDone();
        });
    }

    private void closeIfDone() {
        if (shuttingDown && inFlight == 0 && !ws.isClosed()) {
            ws.close(GOING_AWAY, "the gateway is shutting down");
        }
    }

    private void send(JsonObject reply, Throwable failure) {
        write(reply.put("error", Errors.answer(failure).toJson()));
    }

    private void write(JsonObject reply) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(reply.encode());
        }
    }
}
