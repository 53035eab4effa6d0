package io.snapgate.vmm.vcpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.testing.TestBackends;
import io.snapgate.vmm.vcpu.VmExit.Access;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on the emulated backend, plus what only Unicorn does: region permissions, its fault order, the pool. */
class UnicornBackendTest extends VcpuBackendContractTest {

    @BeforeAll
    static void requireUnicorn() {
        TestBackends.requireUnicorn();
    }

    @Override
    protected VcpuBackend newBackend() {
        return new UnicornBackend(4);
    }

    private UnicornBackend unicorn() {
        return (UnicornBackend) backend;
    }

    @Test
    void nameIsEmulated() {
        assertThat(backend.name()).isEqualTo("emulated");
    }

    @Test
    void fetchFromWritableMemoryIsAFault() {
        assertThat(run(new MachineCode().jumpTo((int) TinyGuest.DATA)))
                .isEqualTo(new VmExit.MemoryFault(TinyGuest.DATA, Access.EXECUTE, true, TinyGuest.DATA));
    }

    /** Unicorn looks the address up in its own map before it walks the page tables: no slot wins over no entry. */
    @Test
    void readOfMemoryWithNeitherSlotNorPageTableEntryIsAFaultOnUnmappedMemory() {
        assertThat(run(new MachineCode().loadRax((int) TinyGuest.NOWHERE)))
                .isEqualTo(new VmExit.MemoryFault(TinyGuest.NOWHERE, Access.READ, false, TinyGuest.CODE));
    }

    @Test
    void aPooledEngineRunsTheNextGuestsCodeWithFreshRegisters() {
        guest.writeDouble(TinyGuest.DATA, 1.25);
        assertThat(run(new MachineCode().movRbx(0xDEAD).loadXmm0((int) TinyGuest.DATA).exit(0x100, 1)))
                .isEqualTo(new VmExit.IoOut(0x100, 1));
        vcpu.close();
        assertThat(unicorn().idleEngines()).isEqualTo(1);

        vcpu = backend.createVcpu(null);
        assertThat(unicorn().idleEngines()).isZero();
        try (TinyGuest next = new TinyGuest()) {
            next.code(new MachineCode().movEaxEbx().exitWithEax(0x100).eaxFromXmm0().exitWithEax(0x101).toBytes());
            vcpu.map(next.slots(), newCode());
            vcpu.setEntryState(next.entryState());

            assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(new VmExit.IoOut(0x100, 0));
            assertThat(vcpu.resume()).isEqualTo(new VmExit.IoOut(0x101, 0)); // xmm0 did not survive the pool
            vcpu.close();
        }
    }

    @Test
    void anIdleEngineHoldingTheCodeIsPreferred() {
        GuestCode code = newCode();
        guest.code(new MachineCode().exit(0x100, 5).toBytes());
        vcpu.map(guest.slots(), code);
        vcpu.setEntryState(guest.entryState());
        assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(new VmExit.IoOut(0x100, 5));
        vcpu.close();
        unicorn().prewarm(3);
        assertThat(unicorn().idleEngines()).isEqualTo(3);

        vcpu = backend.createVcpu(code.digest());
        guest.code(new MachineCode().exit(0x100, 6).toBytes());
        vcpu.map(guest.slots(), new GuestCode(code.digest(), releases::incrementAndGet));
        vcpu.setEntryState(guest.entryState());
        assertThat(vcpu.enter(TinyGuest.CODE)).as("translated before: the engine that holds the code")
                .isEqualTo(new VmExit.IoOut(0x100, 5));
    }

    @Test
    void prewarmFillsThePoolUpToItsSize() {
        unicorn().prewarm(2);
        assertThat(unicorn().idleEngines()).isEqualTo(2);
        unicorn().prewarm(10);
        assertThat(unicorn().idleEngines()).isEqualTo(4);
    }
}
