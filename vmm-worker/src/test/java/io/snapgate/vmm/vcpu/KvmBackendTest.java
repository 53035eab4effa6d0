package io.snapgate.vmm.vcpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.vcpu.VmExit.Access;
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
    void inIsAnInvalidInstruction() {
        assertThat(run(new MachineCode().movDx(0x100).inAlDx())).isEqualTo(new VmExit.InvalidInstruction(
                TinyGuest.CODE + 4));
    }

    /** An empty IDT leaves a #UD nowhere to go: #GP, #DF, then a triple fault (KVM_EXIT_SHUTDOWN). */
    @Test
    void aGuestThatEmptiesItsIdtTripleFaultsAndTheVcpuRunsOn() {
        VmExit exit = run(new MachineCode().lidt((int) TinyGuest.DATA).ud2()); // the data page is zero: limit 0

        assertThat(exit).isInstanceOfSatisfying(VmExit.CpuException.class, e -> assertThat(e.vector()).isEqualTo(8));
        guest.code(new MachineCode().exit(0x100, 4).toBytes());
        assertThat(vcpu.enter(TinyGuest.CODE)).as("a fresh entry state after the shutdown")
                .isEqualTo(new VmExit.IoOut(0x100, 4));
    }

    /** A stop that arrives while no call runs is for an earlier call: the next enter runs normally. */
    @Test
    void aStopWhileIdleDoesNotReachTheNextEnter() {
        assertThat(run(new MachineCode().exit(0x100, 1))).isEqualTo(new VmExit.IoOut(0x100, 1));
        vcpu.requestStop();

        assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(new VmExit.IoOut(0x100, 1));
    }

    @Test
    void aPooledMachineRunsTheNextGuestWithFreshRegisters() {
        KvmBackend kvm = (KvmBackend) backend;
        guest.writeDouble(TinyGuest.DATA, 1.25);
        assertThat(run(new MachineCode().movRbx(0xDEAD).loadXmm0((int) TinyGuest.DATA).exit(0x100, 1)))
                .isEqualTo(new VmExit.IoOut(0x100, 1));
        int idle = kvm.idleMachines();
        vcpu.close();
        assertThat(kvm.idleMachines()).isEqualTo(idle + 1);

        vcpu = backend.createVcpu(null);
        assertThat(kvm.idleMachines()).isEqualTo(idle);
        try (TinyGuest next = new TinyGuest()) {
            next.code(new MachineCode().movEaxEbx().exitWithEax(0x100).eaxFromXmm0().exitWithEax(0x101).toBytes());
            vcpu.map(next.slots(), newCode());
            vcpu.setEntryState(next.entryState());

            assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(new VmExit.IoOut(0x100, 0));
            assertThat(vcpu.resume()).as("xmm0 did not survive the pool").isEqualTo(new VmExit.IoOut(0x101, 0));
            vcpu.close();
        }
    }

    @Test
    void aMachineThatTripleFaultedIsNotPooled() {
        KvmBackend kvm = (KvmBackend) backend;
        assertThat(run(new MachineCode().lidt((int) TinyGuest.DATA).ud2())).isInstanceOf(VmExit.CpuException.class);
        int idle = kvm.idleMachines();
        vcpu.close();

        assertThat(kvm.idleMachines()).isEqualTo(idle);
    }

    /**
     * A 16-byte MMIO read exits once per 8-byte piece; the next entry must finish them all first, or the read's
     * end would land in the next call's registers.
     */
    @Test
    void anMmioReadInPiecesIsFinishedBeforeTheNextEntry() {
        guest.code(TinyGuest.CODE + 0x100, new MachineCode().exit(0x100, 7).toBytes());
        assertThat(run(new MachineCode().load16BytesIntoXmm0(0x1000))) // no slot there: MMIO
                .isEqualTo(new VmExit.MemoryFault(0x1000, Access.READ, false, TinyGuest.CODE));

        assertThat(vcpu.enter(TinyGuest.CODE + 0x100)).isEqualTo(new VmExit.IoOut(0x100, 7));
    }

    @Test
    void readOfMemoryWithNeitherSlotNorPageTableEntryIsAPageFault() {
        assertThat(run(new MachineCode().loadRax((int) TinyGuest.NOWHERE)))
                .isEqualTo(new VmExit.CpuException(14, TinyGuest.CODE, TinyGuest.NOWHERE));
    }
}
