package io.snapgate.vmm.abi;

/** A log line from the guest; level 0 trace .. 4 error. */
public record LogFrame(int level, String message) {
}
