/**
 * The store's implementation: {@link io.snapgate.store.impl.FileSnapshotStore} coordinates; loading
 * ({@code SnapshotLoader}, {@code Documents}, {@code MemoryBlob}), writing ({@code SnapshotWriter},
 * {@code BlobWriter}, {@code HashingChannel}, {@code IndexFile}), locking ({@code StoreLock}) and garbage
 * collection ({@code GarbageCollector}) each have their own class.
 */
package io.snapgate.store.impl;
