package io.snapgate.vmm.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.snapgate.vmm.vcpu.kvm.KvmBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.util.Arrays;
import java.util.List;

/**
 * The backends the backend-parameterised suites run on: both by default, or those the system property
 * {@code snapgate.test.backends} names (comma-separated), e.g. {@code kvm} for the run inside run-with-kvm.
 */
public final class TestBackends {
    public static final String PROPERTY = "snapgate.test.backends";

    private TestBackends() {
    }

    /** The backend names to run on. */
    public static List<String> names() {
        return Arrays.stream(System.getProperty(PROPERTY, UnicornBackend.NAME + "," + KvmBackend.NAME).split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
    }

    /**
     * The backend called {@code name}; skips the test (an assumption) with the reason when it is unusable here.
     * Inside run-with-kvm's QEMU the emulated one is Unicorn in this JVM: a JVM per emulator process takes minutes
     * to start on QEMU's software CPU, and the tests that run there need the engine, not its process.
     */
    public static VcpuBackend require(String name) {
        if (name.equals(KvmBackend.NAME)) {
            assumeTrue(KvmBackend.isAvailable(), () -> "KVM is unavailable: " + KvmBackend.unavailableReason());
        } else {
            requireUnicorn();
            if (QemuTcg.cpuIsEmulated()) {
                return UnicornBackend.instance();
            }
        }
        return VcpuBackends.named(name);
    }

    /** Skips the test (an assumption) where Unicorn 2 is not installed. */
    public static void requireUnicorn() {
        assumeTrue(UnicornBackend.isAvailable(), "Unicorn 2 is unavailable: install the libunicorn2 package");
    }
}
