/**
 * The snapshot config, the content of the container: the records stored in the config blob
 * ({@link io.snapgate.store.config.SnapshotConfig} and its parts) and the
 * {@link io.snapgate.store.config.ConfigValidator} that refuses one this build cannot resume. vmm-worker converts
 * its own Snapshot to and from these records.
 */
package io.snapgate.store.config;
