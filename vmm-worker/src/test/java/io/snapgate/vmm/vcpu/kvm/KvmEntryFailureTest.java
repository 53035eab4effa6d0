package io.snapgate.vmm.vcpu.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.testing.QemuTcg;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MachineCode;
import io.snapgate.vmm.vcpu.TinyGuest;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VmExit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KVM_EXIT_FAIL_ENTRY: a register state KVM accepts but the CPU refuses to enter is a clear failed exit, the
 * backend's fault ({@link VmExit.Failed}): the state is the one it loaded. QEMU's emulation of SVM (run-with-kvm)
 * runs a few instructions before it checks CS, so there the guest has moved and the refusal counts as the guest's.
 */
class KvmEntryFailureTest {

    @BeforeAll
    static void requireKvm() {
        assumeTrue(KvmBackend.isAvailable(), () -> "KVM is unavailable: " + KvmBackend.unavailableReason());
    }

    @Test
    void aCodeSegmentBothLongAndDefaultSizeIsRefusedAtEntry() {
        try (TinyGuest guest = new TinyGuest(); Vcpu vcpu = KvmBackend.instance().createVcpu(null)) {
            long entry = guest.code(new MachineCode().hlt().toBytes());
            vcpu.map(guest.slots(), new GuestCode("entry-failure", () -> { }));
            vcpu.setEntryState(guest.entryState());
            // CS.L and CS.D both set in long mode: KVM_SET_SREGS takes it, VMRUN's consistency checks do not
            ((KvmVcpu) vcpu).entry.sregs.setByte(KvmConstants.SREGS_CS + KvmConstants.SEGMENT_DB, (byte) 1);

            VmExit exit = vcpu.enter(entry);

            assertThat(exit).isInstanceOf(QemuTcg.cpuIsEmulated() ? VmExit.UnrunnableState.class : VmExit.Failed.class)
                    .asString().contains("KVM_EXIT_FAIL_ENTRY: the CPU refused to enter the guest, hardware reason 0x");
        }
    }
}
