package io.snapgate.client.wire;

/**
 * Session ids: 128 random bits in hex, after the id of the cluster node that holds the session and a dot
 * ({@code <node>.<hex>}) in a cluster, so that any node, and a client, knows where a session lives.
 */
public final class SessionIds {
    private static final String SEPARATOR = ".";

    private SessionIds() {
    }

    /** {@code hex} on {@code node}; {@code hex} alone when {@code node} is null (a gateway on its own). */
    public static String of(String node, String hex) {
        return node == null ? hex : node + SEPARATOR + hex;
    }

    /** The cluster node a session id names, or null for an id without one. */
    public static String node(String id) {
        int dot = id.lastIndexOf(SEPARATOR);
        return dot <= 0 ? null : id.substring(0, dot);
    }
}
