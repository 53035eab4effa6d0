/**
 * A gateway as one node of a Hazelcast cluster ({@code serve --cluster}): the snapshot index shared with the
 * other nodes, each node's published load, calls routed to another node over the clustered event bus, and
 * local copies of snapshots (a holder's file mapped in place, or fetched over HTTP and verified). Nothing here
 * is loaded on a node without {@code --cluster}.
 */
package io.snapgate.gateway.cluster;
