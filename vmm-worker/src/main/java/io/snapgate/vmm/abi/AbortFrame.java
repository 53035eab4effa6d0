package io.snapgate.vmm.abi;

/** Why a guest aborted. */
public record AbortFrame(int code, String message) {
}
