package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.vcpu.VcpuBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sandbox suite that runs once per vCPU backend ({@link TestBackends}); on a backend this machine lacks, every
 * test is skipped with the reason.
 */
@ParameterizedClass(name = "[{0}]")
@MethodSource("io.snapgate.vmm.testing.TestBackends#names")
abstract class OnEveryBackend {
    @Parameter
    String backendName;
    /** The backend this run of the suite uses. */
    protected VcpuBackend backend;

    @BeforeEach
    void requireBackend() {
        backend = TestBackends.require(backendName);
    }
}
