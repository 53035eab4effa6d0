package io.snapgate.gateway.auth;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.wire.Authorization;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Optional;

/**
 * Grants for event-bus messages, whose token (if any) is the header {@code Authorization: Bearer <token>}. On a
 * node without tokens every message may do everything. With tokens, a message without one may call (the bus is
 * reachable from the gateway's own Vert.x and its cluster only, and took calls before tokens had scopes) but not
 * change snapshots; one with a token has that token's grant; a wrong token is refused (403). A node that forwards
 * a call or a session operation to another ({@link #forwarding}) sends its own token and the tenant the request
 * was admitted under, which the receiving node admits it under too ({@link #forwarded}): the cluster is the trust
 * boundary, and a tenant's flood through one node counts against it on the next.
 */
public final class BusAuth {
    /** The header in which a forwarding node names the request's tenant ({@link Tokens#onWire}). */
    public static final String TENANT = "snapgate-tenant";

    private final Tokens tokens;

    public BusAuth(Tokens tokens) {
        this.tokens = tokens;
    }

    public Grant grant(MultiMap headers) {
        if (!tokens.required()) {
            return Grant.OPEN;
        }
        String header = headers == null ? null : headers.get(Authorization.HEADER);
        if (header == null) {
            return Grant.BUS_CALLER;
        }
        Optional<String> token = BearerAuth.token(header);
        if (token.isEmpty()) {
            throw new GatewayException(ErrorCode.UNAUTHORIZED, "the " + Authorization.HEADER
                    + " header must be Bearer <token>");
        }
        return tokens.grant(token.get())
                .orElseThrow(() -> new GatewayException(ErrorCode.FORBIDDEN, "the bearer token is not accepted"));
    }

    /**
     * The grant of a message another node forwarded here (at this node's own addresses): its token's scope,
     * admitted under the tenant the forwarding node names (none named: the request's snapshot). Nodes forward with
     * a token that may deploy (the first of their {@code tokens}); on a node with tokens only such a token may name
     * a tenant (403 otherwise), and a message with a call-only token counts under that token whatever it says, so
     * that a client cannot pick a new tenant per call and so escape its share.
     */
    public Grant forwarded(MultiMap headers) {
        Grant grant = grant(headers);
        String tenant = headers == null ? null : headers.get(TENANT);
        if (grant.scope() != Scope.DEPLOY) {
            if (tenant != null) {
                throw new GatewayException(ErrorCode.FORBIDDEN, "the " + TENANT + " header is for a node"
                        + " forwarding a request, and needs that node's bearer token (one with the deploy scope)");
            }
            return grant;
        }
        if (tenant != null && tokens.required() && headers.get(Authorization.HEADER) == null) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "the " + TENANT + " header is for a node forwarding a"
                    + " request, and needs that node's bearer token with it");
        }
        return new Grant(grant.scope(), tenant == null ? null : tokens.fromWire(tenant));
    }

    /**
     * What a request this node forwards to another carries: {@code token} (this node's own, checked there again)
     * and the tenant the request was admitted under here ({@code tenant}; null: its snapshot, which needs no name).
     */
    public DeliveryOptions forwarding(Optional<String> token, String tenant) {
        DeliveryOptions options = new DeliveryOptions();
        token.ifPresent(t -> options.addHeader(Authorization.HEADER, Authorization.bearer(t)));
        if (tenant != null) {
            options.addHeader(TENANT, tokens.onWire(tenant));
        }
        return options;
    }
}
