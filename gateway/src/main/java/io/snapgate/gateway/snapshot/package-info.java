/**
 * Snapshots as the gateway serves them: the node-wide {@link io.snapgate.gateway.snapshot.SnapshotCatalog}
 * (each snapshot loaded once, shared by the workers), building snapshots from ELFs with the gateway's host
 * functions, the example guests, and their JSON form.
 */
package io.snapgate.gateway.snapshot;
