package io.snapgate.gateway.ws;

import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.error.ErrorCode;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One WebSocket connection: text frames {@code {id, snapshot, function, args, deadlineMs?}}, each answered by
 * {@code {id, result, durationMicros}} or {@code {id, error: {code, message}}} as soon as it completes, so
 * answers come in completion order. At most {@code cap} calls in flight; a frame beyond that is answered
 * TOO_MANY_IN_FLIGHT at once. When the gateway shuts down, the calls in flight are answered, later frames are
 * answered SHUTTING_DOWN, and the connection then closes with 1001 (going away). Runs on the connection's event
 * loop only.
 */
final class CallConnection {
    private static final Set<String> TRANSPORT_FIELDS = Set.of("id");
    private static final short GOING_AWAY = 1001;

    private final ServerWebSocket ws;
    private final Dispatcher dispatcher;
    private final int cap;
    private int inFlight;
    private boolean shuttingDown;

    CallConnection(ServerWebSocket ws, Dispatcher dispatcher, int cap) {
        this.ws = ws;
        this.dispatcher = dispatcher;
        this.cap = cap;
    }

    void start() {
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> send(new JsonObject().putNull("id"), new GatewayException(ErrorCode.BAD_REQUEST,
                "send calls as JSON text frames")));
        ws.shutdownHandler(v -> {
            shuttingDown = true;
            closeIfDone();
        });
    }

    private void onText(String text) {
        JsonObject frame;
        CallRequest request;
        try {
            frame = StrictJson.object(Buffer.buffer(text));
        } catch (GatewayException e) {
            send(new JsonObject().putNull("id"), e);
            return;
        }
        JsonObject reply = new JsonObject().put("id", frame.getValue("id"));
        try {
            request = CallRequest.fromMessage(frame, TRANSPORT_FIELDS);
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
