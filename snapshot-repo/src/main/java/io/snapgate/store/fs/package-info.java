/**
 * Files, at the level of system calls: {@link io.snapgate.store.fs.Posix} (open, pread, pwrite, fstat, fsync
 * through JNA, each failure naming call, file and errno), {@link io.snapgate.store.fs.OpenFile} (a descriptor
 * with its path, bounded whole-file reads) and {@link io.snapgate.store.fs.AtomicFiles} (temp file, fsync,
 * rename, fsync of the directory). Knows nothing about snapshots; vmm-worker may use it for its own files.
 */
package io.snapgate.store.fs;
