/**
 * The small layer over libc's memory calls (mmap, madvise, memfd) used by guest memory; file calls go
 * through the store's {@code io.snapgate.store.fs.Posix}, and the vCPU backends have their own bindings.
 */
package io.snapgate.vmm.sys;
