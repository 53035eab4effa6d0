package io.snapgate.gateway.auth;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * Grants for event-bus messages, whose token (if any) is the header {@code Authorization: Bearer <token>}. On a
 * node without tokens every message may do everything. With tokens, a message without one may call (the bus is
 * reachable from the gateway's own Vert.x and its cluster only, and took calls before tokens had scopes) but not
 * change snapshots; one with a token has that token's grant; a wrong token is refused (403).
 */
public final class BusAuth {
    /** The message header that carries the token. */
    public static final String HEADER = "Authorization";

    private final Tokens tokens;

    public BusAuth(Tokens tokens) {
        this.tokens = tokens;
    }

    public Grant grant(MultiMap headers) {
        if (!tokens.required()) {
            return Grant.OPEN;
        }
        String header = headers == null ? null : headers.get(HEADER);
        if (header == null) {
            return Grant.BUS_CALLER;
        }
        Optional<String> token = BearerAuth.token(header);
        if (token.isEmpty()) {
            throw new GatewayException(ErrorCode.UNAUTHORIZED, "the " + HEADER + " header must be Bearer <token>");
        }
        return tokens.grant(token.get())
                .orElseThrow(() -> new GatewayException(ErrorCode.FORBIDDEN, "the bearer token is not accepted"));
    }
}
