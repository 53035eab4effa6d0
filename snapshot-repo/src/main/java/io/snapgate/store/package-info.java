/**
 * The snapshot store's public API: {@link io.snapgate.store.SnapshotStore} (open, save, load, tags, delete,
 * gc), what it takes and returns ({@link io.snapgate.store.MemorySource},
 * {@link io.snapgate.store.LoadedSnapshot}, {@link io.snapgate.store.OpenBlob},
 * {@link io.snapgate.store.GcReport}) and its one refusal, {@link io.snapgate.store.SnapshotFormatException}
 * with a {@link io.snapgate.store.Problem}. The implementation is in {@code impl}; the container in {@code oci};
 * the content in {@code config}.
 */
package io.snapgate.store;
