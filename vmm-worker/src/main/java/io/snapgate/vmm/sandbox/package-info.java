/**
 * Sandboxes: building one from a guest ELF, typed calls into the guest, host functions it calls back,
 * in-memory snapshots and restores, cancellation and time limits, and the typed failures of all of these.
 */
package io.snapgate.vmm.sandbox;
