package io.snapgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.wire.Authorization;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.config.Setting;
import io.snapgate.gateway.error.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A tenant forwarded from one node to another is the same token on both, named by each node in its own terms,
 * whatever the order of their lists; never the token itself; and only a message with a token that may deploy (a
 * node's) may name one.
 */
class ForwardedTenantTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static BusAuth node(String tokens, String callTokens) {
        Map<ConfigKey, Setting> settings = callTokens == null ? Map.of(ConfigKey.TOKENS, new Setting(tokens, "test"))
                : Map.of(ConfigKey.TOKENS, new Setting(tokens, "test"), ConfigKey.CALL_TOKENS,
                        new Setting(callTokens, "test"));
        return new BusAuth(Tokens.of(GatewayConfig.from(settings)));
    }

    /** What {@code from} sends when it forwards a request of {@code tenant}, and how {@code to} reads it. */
    private static Grant forward(BusAuth from, String tenant, BusAuth to) {
        DeliveryOptions options = from.forwarding(Optional.of("alpha"), tenant);
        return to.forwarded(options.getHeaders());
    }

    @Test
    void aTokensTenantIsNamedByEachNodeInItsOwnTerms() {
        BusAuth a = node("alpha,beta", "gamma");
        BusAuth b = node("beta,alpha", null);
        assertThat(forward(a, "token#2", b).tenant()).as("beta: a's second token, b's first").isEqualTo("token#1");
        assertThat(forward(a, "token#1", b).tenant()).isEqualTo("token#2");
        assertThat(forward(a, "token#2", b).scope()).as("the scope is the forwarding node's token's")
                .isEqualTo(Scope.DEPLOY);
        String unknown = forward(a, "token#3", b).tenant();
        assertThat(unknown).as("gamma, which b does not know").matches("token:[0-9a-f]{16}").doesNotContain("gamma");
        assertThat(forward(a, DIGEST, b).tenant()).as("a snapshot").isEqualTo(DIGEST);
        assertThat(forward(a, null, b).tenant()).as("no tenant named: the request's snapshot").isNull();
        DeliveryOptions sent = a.forwarding(Optional.of("alpha"), "token#2");
        assertThat(sent.getHeaders().get(BusAuth.TENANT)).startsWith("token:").doesNotContain("beta");
    }

    @Test
    void aTenantNeedsAValidTokenBesideItAndAWellFormedName() {
        BusAuth b = node("beta,alpha", null);
        MultiMap noToken = MultiMap.caseInsensitiveMultiMap().add(BusAuth.TENANT, DIGEST);
        assertThatThrownBy(() -> b.forwarded(noToken)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        MultiMap wrongToken = MultiMap.caseInsensitiveMultiMap().add(BusAuth.TENANT, DIGEST)
                .add(Authorization.HEADER, "Bearer delta");
        assertThatThrownBy(() -> b.forwarded(wrongToken)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        MultiMap made = MultiMap.caseInsensitiveMultiMap().add(BusAuth.TENANT, "token#1")
                .add(Authorization.HEADER, "Bearer beta");
        assertThatThrownBy(() -> b.forwarded(made)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST)).hasMessageContaining("token:<64 hex");
        MultiMap callOnly = MultiMap.caseInsensitiveMultiMap().add(BusAuth.TENANT, DIGEST)
                .add(Authorization.HEADER, "Bearer gamma");
        BusAuth c = node("alpha", "gamma");
        assertThatThrownBy(() -> c.forwarded(callOnly)).as("a client cannot pick its tenant")
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessageContaining("deploy scope");
        MultiMap callOnlyPlain = MultiMap.caseInsensitiveMultiMap().add(Authorization.HEADER, "Bearer gamma");
        assertThat(c.forwarded(callOnlyPlain).tenant()).as("a call-only token counts under itself").isEqualTo("token#2");
        BusAuth open = new BusAuth(Tokens.of(GatewayConfig.from(Map.of())));
        assertThat(open.forwarded(noToken).tenant()).as("a node without tokens trusts its cluster").isEqualTo(DIGEST);
    }
}
