package io.snapgate.gateway.ws;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

/**
 * Joins a connection's data frames into whole messages, handed over as their bytes: Vert.x's text-message
 * handler would decode them first, replacing every byte that is not UTF-8 with U+FFFD. A message over
 * {@code limit} bytes closes the connection with 1009 (a single frame over it never gets here: the frame decoder
 * closes the connection). Control frames are left to Vert.x, which answers pings and closes.
 */
final class WholeMessages implements Handler<WebSocketFrame> {
    private static final short MESSAGE_TOO_BIG = 1009;

    private final ServerWebSocket ws;
    private final long limit;
    private final Handler<Buffer> text;
    private final Handler<Buffer> binary;
    private Buffer message;
    private boolean isText;

    WholeMessages(ServerWebSocket ws, long limit, Handler<Buffer> text, Handler<Buffer> binary) {
        this.ws = ws;
        this.limit = limit;
        this.text = text;
        this.binary = binary;
    }

    @Override
    public void handle(WebSocketFrame frame) {
        if (frame.isText() || frame.isBinary()) {
            message = Buffer.buffer();
            isText = frame.isText();
        } else if (!frame.isContinuation() || message == null) {
            return; // a control frame, or what is left of a message already refused
        }
        Buffer data = frame.binaryData();
        if (message.length() + (long) data.length() > limit) {
            message = null;
            ws.close(MESSAGE_TOO_BIG, "message over the limit of " + limit + " bytes");
            return;
        }
        message.appendBuffer(data);
        if (frame.isFinal()) {
            Buffer whole = message;
            message = null;
            (isText ? text : binary).handle(whole);
        }
    }
}
