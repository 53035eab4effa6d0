/**
 * Hazelcast configuration and clustered Vert.x bootstrap for snapgate gateways.
 *
 * <p>{@link io.snapgate.cluster.ClusterSettings} holds the flags (cluster name, TCP-IP members,
 * interface, port); {@link io.snapgate.cluster.HazelcastConfigs} turns them into a Hazelcast
 * {@code Config} that starts from vertx-hazelcast's own (keeping Vert.x's maps) and joins over
 * TCP-IP only: no multicast, no auto-detection, no phone-home, metrics off. A user's
 * hazelcast.xml/yaml replaces that default wholesale. {@link io.snapgate.cluster.ClusteredVertx}
 * starts Vert.x with it. Nothing here starts Hazelcast unless {@code ClusteredVertx.start} is called.
 */
package io.snapgate.cluster;
