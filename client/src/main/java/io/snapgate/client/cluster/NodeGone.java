package io.snapgate.client.cluster;

/**
 * A request sent to a gateway node that left the cluster (or died) before it answered, or that no longer takes
 * requests: a stateless request may be sent again to another node.
 */
public final class NodeGone extends RuntimeException {
    private final String node;

    public NodeGone(String node) {
        super("node " + node + " left the cluster before answering", null, false, false);
        this.node = node;
    }

    public String node() {
        return node;
    }
}
