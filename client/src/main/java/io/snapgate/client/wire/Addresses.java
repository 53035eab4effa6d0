package io.snapgate.client.wire;

/**
 * The event-bus addresses of snapgate's gateways. Each front address is served by every gateway (the event bus picks
 * one) and, in a cluster, by each gateway at {@link #onNode} too, so that a client knows which node a request went
 * to. Gateways publish their load on {@link #LOAD} and the departures they see on {@link #LEFT}.
 */
public final class Addresses {
    /** A stateless call: {@link Messages#call}; answers {@code {result, durationMicros}}. */
    public static final String CALL = "snapgate.call";
    /** A session operation: {@link Messages#open}, {@link Messages#sessionCall}, ... */
    public static final String SESSION = "snapgate.session";
    /** A snapshot listing or description: {@link Messages#list}, {@link Messages#describe}. */
    public static final String SNAPSHOTS = "snapgate.snapshots";
    /** Published by every gateway every 200 ms: {@code {node, url, load}} ({@code io.snapgate.client.cluster}). */
    public static final String LOAD = "snapgate.load";
    /** Published by every gateway when a cluster member leaves or dies: {@code {node}}. */
    public static final String LEFT = "snapgate.left";

    private Addresses() {
    }

    /** A front address as served by one cluster node only: {@code snapgate.call.<node>}. */
    public static String onNode(String address, String node) {
        return address + "." + node;
    }
}
