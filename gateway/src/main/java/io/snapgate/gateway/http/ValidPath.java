package io.snapgate.gateway.http;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.Utf8;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Refuses a request path whose bytes, percent-escapes decoded, are not UTF-8: Vert.x decodes path parameters with
 * U+FFFD in their place, so {@code .../functions/%C3%28} would name a function called {@code \ufffd(}. A
 * {@code %} not followed by two hex digits is left to the router.
 */
final class ValidPath implements Handler<RoutingContext> {
    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        String problem = plain(path) ? null : Utf8.problem(decoded(path));
        if (problem != null) {
            ctx.fail(new GatewayException(ErrorCode.BAD_REQUEST, "request path, percent-decoded: " + problem));
        } else {
            ctx.next();
        }
    }

    /** ASCII without escapes, as nearly every path is: nothing to decode. */
    private static boolean plain(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static byte[] decoded(String path) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && HexFormat.isHexDigit(path.charAt(i + 1))
                    && HexFormat.isHexDigit(path.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(path, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(c); // a raw byte of the request line, which Netty reads as ISO-8859-1
            }
        }
        return bytes.toByteArray();
    }
}
