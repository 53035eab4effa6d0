package io.snapgate.gateway.auth;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.json.JsonObject;

/**
 * What a request may do, from its bearer token: its scope, and the tenant its calls count under for fair
 * admission ({@code null}: the snapshot called, as for requests without a token).
 */
public record Grant(Scope scope, String tenant) {
    /** A node without tokens: every request may do everything. */
    public static final Grant OPEN = new Grant(Scope.DEPLOY, null);
    /** An event-bus message without a token on a node with tokens: it may call, as before scopes existed. */
    public static final Grant BUS_CALLER = new Grant(Scope.CALL, null);

    /**
     * Throws 403 FORBIDDEN naming the missing scope ({@code "scope": "deploy"}) unless this grant has it;
     * {@code what} says what needs it ("POST /v1/snapshots changes snapshots").
     */
    public void require(Scope needed, String what) {
        if (scope.compareTo(needed) < 0) {
            throw new GatewayException(ErrorCode.FORBIDDEN, what + " and needs a token with the "
                    + needed.label() + " scope; this one has the " + scope.label() + " scope only",
                    new JsonObject().put("scope", needed.label()), 0);
        }
    }
}
