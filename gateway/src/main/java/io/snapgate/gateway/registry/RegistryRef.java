package io.snapgate.gateway.registry;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.store.oci.Digest;
import io.snapgate.store.oci.Tag;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where a snapshot lives in a registry: {@code REGISTRY/REPOSITORY:TAG} or {@code REGISTRY/REPOSITORY@sha256:...},
 * as docker and skopeo write them, the registry named explicitly ({@code registry.example.com},
 * {@code 127.0.0.1:5000}). A registry on a loopback address is spoken to over plain HTTP, any other over HTTPS.
 *
 * @param reference the tag, or the manifest digest
 */
public record RegistryRef(String registry, String repository, String reference) {
    /** The Distribution spec's repository name: lowercase path components. */
    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern REGISTRY = Pattern.compile("(?:[a-zA-Z0-9.-]+|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final int MAX_REPOSITORY = 255;

    /** Parses {@code REGISTRY/REPOSITORY:TAG} or {@code REGISTRY/REPOSITORY@DIGEST}. */
    public static RegistryRef parse(String ref) {
        int slash = ref == null ? -1 : ref.indexOf('/');
        if (slash <= 0) {
            throw bad(ref, "name the registry first: REGISTRY/REPOSITORY:TAG, such as"
                    + " 127.0.0.1:5000/snapshots/hello:v1");
        }
        String registry = ref.substring(0, slash);
        String rest = ref.substring(slash + 1);
        if (!REGISTRY.matcher(registry).matches() || !(registry.contains(".") || registry.contains(":")
                || registry.equals("localhost"))) {
            throw bad(ref, "\"" + registry + "\" is not a registry host (a name with a dot, host:port, or localhost)");
        }
        int at = rest.indexOf('@');
        int colon = rest.lastIndexOf(':');
        String repository;
        String reference;
        if (at >= 0) {
            repository = rest.substring(0, at);
            reference = rest.substring(at + 1);
            Digest.parse(reference, "registry reference digest");
        } else if (colon > rest.lastIndexOf('/')) {
            repository = rest.substring(0, colon);
            reference = rest.substring(colon + 1);
            if (!Tag.isValid(reference)) {
                throw bad(ref, "tag \"" + reference + "\" does not match " + Tag.RULE);
            }
        } else {
            throw bad(ref, "name a tag or a digest: REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:...");
        }
        if (repository.length() > MAX_REPOSITORY || !REPOSITORY.matcher(repository).matches()) {
            throw bad(ref, "repository \"" + repository + "\" is not lowercase path components of [a-z0-9] joined by"
                    + " . _ __ or -");
        }
        return new RegistryRef(registry, repository, reference);
    }

    /** Whether {@link #reference} is a digest rather than a tag. */
    public boolean byDigest() {
        return reference.startsWith(Digest.PREFIX);
    }

    /** The same repository, naming {@code reference} (a tag or a digest). */
    public RegistryRef with(String other) {
        return new RegistryRef(registry, repository, other);
    }

    /** {@code https://registry/v2/repository/}, or {@code http://} for a registry on a loopback address. */
    public URI base() {
        return URI.create((loopback() ? "http" : "https") + "://" + registry + "/v2/" + repository + "/");
    }

    private boolean loopback() {
        return loopbackHost(registry.startsWith("[") ? registry.substring(1, registry.indexOf(']'))
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry);
    }

    /** Whether {@code host} (a name or an address) is this machine's loopback. */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolved here, so that DNS cannot turn it into plain HTTP
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static GatewayException bad(String ref, String why) {
        return new GatewayException(ErrorCode.BAD_REQUEST, "registry reference \"" + ref + "\": " + why);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (byDigest() ? "@" : ":") + reference;
    }
}
