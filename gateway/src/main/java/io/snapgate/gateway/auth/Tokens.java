package io.snapgate.gateway.auth;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configured bearer tokens and the grant of each: {@code tokens} may deploy, {@code callTokens} only call.
 * Each token is its own tenant ({@code token#1}, ... in configuration order; never the token itself). Tokens are
 * compared by their SHA-256 in constant time, so timing tells nothing about them.
 *
 * <p>Between nodes a tenant travels as {@link #onWire} writes it: a token's tenant as {@code token:<its SHA-256>},
 * which every node maps back to its own name for that token ({@link #fromWire}), so one token is one tenant on every
 * node whatever the order of each node's lists; a token the receiving node does not know is named by the start of
 * its digest. The nodes already send each other a token itself, so its digest tells nothing more.
 */
public final class Tokens {
    private static final String WIRE_TOKEN = "token:";
    private static final Pattern WIRE = Pattern.compile("(token|sha256):[0-9a-f]{64}");
    /** Hex digits of a token's SHA-256 that name a tenant whose token this node does not know. */
    private static final int SHORT_DIGEST = 16;

    private record Known(byte[] hash, Grant grant) {
        String wire() {
            return WIRE_TOKEN + HexFormat.of().formatHex(hash);
        }
    }

    private final List<Known> known;
    private final Map<String, String> wireByTenant = new HashMap<>();
    private final Map<String, String> tenantByWire = new HashMap<>();

    private Tokens(List<Known> known) {
        this.known = List.copyOf(known);
        for (Known k : known) {
            wireByTenant.put(k.grant().tenant(), k.wire());
            tenantByWire.put(k.wire(), k.grant().tenant());
        }
    }

    public static Tokens of(GatewayConfig config) {
        List<Known> known = new ArrayList<>();
        for (String token : config.tokens()) {
            known.add(new Known(hash(token), new Grant(Scope.DEPLOY, "token#" + (known.size() + 1))));
        }
        for (String token : config.callTokens()) {
            known.add(new Known(hash(token), new Grant(Scope.CALL, "token#" + (known.size() + 1))));
        }
        return new Tokens(known);
    }

    /** Whether any token is configured: then requests need one. */
    public boolean required() {
        return !known.isEmpty();
    }

    /** The grant of {@code token}; empty when it is not configured. */
    public Optional<Grant> grant(String token) {
        byte[] given = hash(token);
        Grant found = null;
        for (Known k : known) {
            if (MessageDigest.isEqual(given, k.hash())) { // no early exit: every token is compared
                found = k.grant();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The tenant {@code tenant} (a name of this node's: {@code token#N}, or a snapshot's digest) as another node
     * reads it ({@link #fromWire}).
     */
    public String onWire(String tenant) {
        return wireByTenant.getOrDefault(tenant, tenant);
    }

    /**
     * This node's name for a tenant another node sent ({@link #onWire}): {@code token#N} for a token configured
     * here, {@code token:} and the first 16 hex digits of its digest for one that is not, a snapshot's digest as it
     * is. Anything else is 400.
     */
    public String fromWire(String wire) {
        if (!WIRE.matcher(wire).matches()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "a forwarded tenant must be token:<64 hex digits> or"
                    + " sha256:<64 hex digits>; this one has " + wire.length() + " characters and is neither");
        }
        String tenant = tenantByWire.get(wire);
        if (tenant != null) {
            return tenant;
        }
        return wire.startsWith(WIRE_TOKEN) ? wire.substring(0, WIRE_TOKEN.length() + SHORT_DIGEST) : wire;
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
