package io.snapgate.vmm.vcpu;

/** A way to run guest code: the emulated software vCPU, or a hypervisor. */
public interface VcpuBackend {

    /** Short name used in configuration, logs and snapshot metadata: {@code emulated} or {@code kvm}. */
    String name();

    /**
     * A vCPU with no memory mapped yet, owned by the calling thread; preferably one that already holds the code
     * with {@code codeDigest} (see {@link GuestCode}), or any when it is null.
     */
    Vcpu createVcpu(String codeDigest);
}
