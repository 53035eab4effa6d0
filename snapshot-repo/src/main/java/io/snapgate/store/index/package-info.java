/**
 * The cluster-wide index of snapshots, as an interface free of any cluster technology: which snapshot each tag
 * names (with its function table, so any node checks calls without the files) and which nodes hold each
 * snapshot's blobs, where, and whether they checked them. {@link io.snapgate.store.index.StoreRegistration}
 * keeps one node's entries true to its store. {@code io.snapgate.store.cluster} implements the index on Hazelcast.
 */
package io.snapgate.store.index;
