package io.snapgate.gateway.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder refused before any route saw them (a request line or headers over the limits, a
 * malformed request): answered with the same error body as every other failure, not Vert.x's empty one; the
 * server then closes the connection.
 */
final class InvalidRequestHandler implements Handler<HttpServerRequest> {
    private final HttpServerOptions limits;

    /** {@code limits}: the options the server was made with, whose limits the messages quote. */
    InvalidRequestHandler(HttpServerOptions limits) {
        this.limits = limits;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        GatewayException error;
        if (cause instanceof TooLongHttpLineException) {
            error = new GatewayException(ErrorCode.URI_TOO_LONG, "the request line is longer than "
                    + limits.getMaxInitialLineLength() + " bytes");
        } else if (cause instanceof TooLongHttpHeaderException) {
            error = new GatewayException(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than "
                    + limits.getMaxHeaderSize() + " bytes");
        } else {
            error = new GatewayException(ErrorCode.BAD_REQUEST, "malformed HTTP request"
                    + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        FailureHandler.write(request.response(), error);
    }
}
