/**
 * The snapshot index on Hazelcast: the only part of the store that knows of a cluster. Two raw
 * {@code IMap}s (not Vert.x's AsyncMap wrappers) hold JSON values: {@value
 * io.snapgate.store.cluster.HazelcastSnapshotIndex#TAGS} (tag to snapshot) and {@value
 * io.snapgate.store.cluster.HazelcastSnapshotIndex#HOLDERS} (manifest digest to holders). A membership
 * listener removes a departed member from every entry.
 */
package io.snapgate.store.cluster;
