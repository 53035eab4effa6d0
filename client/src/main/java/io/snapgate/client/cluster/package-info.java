/**
 * Talking to particular gateway nodes of a cluster: their {@link io.snapgate.client.cluster.LoadReport}s
 * ({@link io.snapgate.client.cluster.GatewayLoads}) and {@link io.snapgate.client.cluster.NodeRequests}, which fail
 * with {@link io.snapgate.client.cluster.NodeGone} when the node leaves. Used by the typed client to choose a node
 * and retry elsewhere, and by the gateways themselves between nodes.
 */
package io.snapgate.client.cluster;
