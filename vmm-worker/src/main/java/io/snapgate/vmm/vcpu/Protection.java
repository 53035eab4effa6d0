package io.snapgate.vmm.vcpu;

/** What the guest may do with a memory slot. Nothing is both writable and executable (W^X). */
public enum Protection {
    READ_ONLY,
    READ_WRITE,
    READ_EXECUTE
}
