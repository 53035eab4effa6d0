/**
 * The one small layer over libc (mmap, madvise, memfd, pread/pwrite) used by guest memory and
 * the vCPU backends; nothing above it calls native code except the backends' own bindings.
 */
package io.snapgate.vmm.sys;
