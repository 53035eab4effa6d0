package io.snapgate.gateway.cluster;

/** A call sent to another node that left (or died) before it answered; stateless calls are retried once. */
final class NodeGone extends RuntimeException {
    private final String node;

    NodeGone(String node) {
        super("node " + node + " left the cluster before answering", null, false, false);
        this.node = node;
    }

    String node() {
        return node;
    }
}
