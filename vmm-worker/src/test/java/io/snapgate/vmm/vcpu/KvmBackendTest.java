package io.snapgate.vmm.vcpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.vcpu.kvm.KvmBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on KVM, plus what only KVM does. Skipped where /dev/kvm is not usable. */
class KvmBackendTest extends VcpuBackendContractTest {

    @BeforeAll
    static void requireKvm() {
        assumeTrue(KvmBackend.isAvailable(), () -> "KVM is unavailable: " + KvmBackend.unavailableReason());
    }

    @Override
    protected VcpuBackend newBackend() {
        return KvmBackend.instance();
    }

    @Override
    protected boolean keepsCodeUnderTheSameDigest() {
        return false;
    }

    @Override
    protected boolean writeFaultRipIsAfterTheInstruction() {
        return true;
    }

    @Test
    void nameIsKvm() {
        assertThat(backend.name()).isEqualTo("kvm");
    }

    @Test
    void readOfMemoryWithNeitherSlotNorPageTableEntryIsAPageFault() {
        assertThat(run(new MachineCode().loadRax((int) TinyGuest.NOWHERE)))
                .isEqualTo(new VmExit.CpuException(14, TinyGuest.CODE, TinyGuest.NOWHERE));
    }
}
