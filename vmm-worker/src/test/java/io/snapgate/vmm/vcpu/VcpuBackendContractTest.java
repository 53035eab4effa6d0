package io.snapgate.vmm.vcpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.vcpu.VmExit.Access;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every vCPU backend must do, on tiny hand-assembled guests ({@link TinyGuest}, {@link MachineCode}).
 * A backend's test extends this and says how to make the backend.
 */
public abstract class VcpuBackendContractTest {
    private static final int DONE = 0x100;
    private static final int HOST_CALL = 0x101;
    private static final int PAGE_FAULT = 14;
    private static final int DIVIDE_ERROR = 0;

    protected VcpuBackend backend;
    protected TinyGuest guest;
    protected Vcpu vcpu;

    protected abstract VcpuBackend newBackend();

    /**
     * Whether the backend keeps code it translated while the same digest stays mapped (the emulated one does);
     * a hardware backend runs whatever bytes the slot holds.
     */
    protected boolean keepsCodeUnderTheSameDigest() {
        return true;
    }

    /**
     * Whether a write fault's RIP is the instruction after the faulting one: KVM completes an MMIO write, RIP
     * included, before it exits to the host.
     */
    protected boolean writeFaultRipIsAfterTheInstruction() {
        return false;
    }

    @BeforeEach
    void open() {
        backend = newBackend();
        guest = new TinyGuest();
        vcpu = backend.createVcpu(null);
    }

    /** Code no vCPU has seen: a digest of its own, and a lease that counts its releases. */
    protected GuestCode newCode() {
        return new GuestCode("tiny-" + UUID.randomUUID(), releases::incrementAndGet);
    }

    protected final AtomicInteger releases = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        vcpu.close(); // before the guest memory goes: the vCPU may touch it until closed
        guest.close();
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Writes {@code code} at the start of the code slot, maps the guest, sets the entry state and enters. */
    protected VmExit run(MachineCode code) {
        long entry = guest.code(code.toBytes());
        vcpu.map(guest.slots(), newCode());
        vcpu.setEntryState(guest.entryState());
        return vcpu.enter(entry);
    }

    /** Resumes past {@link VmExit.Interrupted} exits, which a backend may report for no reason. */
    private VmExit skipInterrupts(VmExit exit) {
        for (int i = 0; i < 10 && exit instanceof VmExit.Interrupted; i++) {
            exit = vcpu.resume();
        }
        return exit;
    }

    private static VmExit io(int port, int value) {
        return new VmExit.IoOut(port, value);
    }

    @Test
    void exitReportsPortAndValue() {
        assertThat(run(new MachineCode().exit(DONE, 42))).isEqualTo(io(DONE, 42));
    }

    @Test
    void portIsTheLowHalfOfEdxAndValueAllOfEax() {
        assertThat(run(new MachineCode().movEdx(0xABCD_0102).movEax(-7).outHlt())).isEqualTo(io(0x102, -7));
    }

    @Test
    void entryStateSetsRdiRspAndRflagsAndZeroesTheRest() {
        MachineCode code = new MachineCode()
                .movEaxEdi().exitWithEax(HOST_CALL)
                .movEaxEsp().exitWithEax(HOST_CALL)
                .movEaxEbx().exitWithEax(HOST_CALL)
                .raxFromRflags().exitWithEax(HOST_CALL);

        assertThat(run(code)).isEqualTo(io(HOST_CALL, (int) TinyGuest.DATA));
        assertThat(vcpu.resume()).isEqualTo(io(HOST_CALL, (int) TinyGuest.STACK_TOP));
        assertThat(vcpu.resume()).isEqualTo(io(HOST_CALL, 0));
        assertThat(vcpu.resume()).isEqualTo(io(HOST_CALL, (int) CpuState.RFLAGS));
    }

    @Test
    void aHltWithoutAnOutBeforeItExitsWithDxAndEax() {
        assertThat(run(new MachineCode().movDx(0x101).movEax(3).hlt())).isEqualTo(io(HOST_CALL, 3));
    }

    @Test
    void resumeAfterAHostCallKeepsTheRegisters() {
        MachineCode code = new MachineCode()
                .movRbx(0x1122_3344_5566_7788L)
                .exit(HOST_CALL, 8)
                .movEaxEbx().exitWithEax(DONE)
                .shrRbx32().movEaxEbx().exitWithEax(DONE);

        assertThat(run(code)).isEqualTo(io(HOST_CALL, 8));
        assertThat(vcpu.resume()).isEqualTo(io(DONE, 0x5566_7788));
        assertThat(vcpu.resume()).isEqualTo(io(DONE, 0x1122_3344));
    }

    @Test
    void writeToCodeIsAFaultOnMappedMemory() {
        MachineCode store = new MachineCode().storeByte((int) TinyGuest.CODE, 0x90);
        long rip = TinyGuest.CODE + (writeFaultRipIsAfterTheInstruction() ? store.toBytes().length : 0);

        assertThat(run(store)).isEqualTo(new VmExit.MemoryFault(TinyGuest.CODE, Access.WRITE, true, rip));
    }

    @Test
    void readOfTheNullGuardIsAFaultOnUnmappedMemory() {
        assertThat(run(new MachineCode().loadRax(0)))
                .isEqualTo(new VmExit.MemoryFault(0, Access.READ, false, TinyGuest.CODE));
    }

    @Test
    void jumpToZeroIsAFetchFromUnmappedMemory() {
        assertThat(run(new MachineCode().jumpTo(0))).isEqualTo(new VmExit.MemoryFault(0, Access.EXECUTE, false, 0));
    }

    /** W^X: the data page shares the code's 2 MiB page, and still does not execute. */
    @Test
    void jumpToDataIsAFetchFaultOnMappedMemory() {
        guest.writeLong(TinyGuest.DATA, 0xC3); // ret
        assertThat(run(new MachineCode().jumpTo((int) TinyGuest.DATA)))
                .isEqualTo(new VmExit.MemoryFault(TinyGuest.DATA, Access.EXECUTE, true, TinyGuest.DATA));
    }

    @Test
    void readOfMemoryWithoutAPageTableEntryIsAPageFault() {
        assertThat(run(new MachineCode().loadRax((int) TinyGuest.UNTABLED)))
                .isEqualTo(new VmExit.CpuException(PAGE_FAULT, TinyGuest.CODE, TinyGuest.UNTABLED));
    }

    @Test
    void ud2IsAnInvalidInstruction() {
        assertThat(run(new MachineCode().ud2())).isEqualTo(new VmExit.InvalidInstruction(TinyGuest.CODE));
    }

    @Test
    void divisionByZeroIsADivideError() {
        assertThat(run(new MachineCode().divideByZero()))
                .isEqualTo(new VmExit.CpuException(DIVIDE_ERROR, TinyGuest.CODE + 2, 0));
    }

    @Test
    void sseWorksWithTheDefaultRoundingMode() {
        guest.writeDouble(TinyGuest.DATA, 1.25);
        MachineCode code = new MachineCode()
                .loadXmm0((int) TinyGuest.DATA)
                .doubleXmm0()
                .storeXmm0Aligned((int) TinyGuest.DATA + 16)
                .eaxFromXmm0()
                .exitWithEax(DONE);

        assertThat(run(code)).isEqualTo(io(DONE, 2)); // 2.5 rounds to even
        assertThat(guest.readDouble(TinyGuest.DATA + 16)).isEqualTo(2.5);
    }

    @Test
    void requestStopFromAnotherThreadStopsALoopAndTheVcpuRunsOn() throws InterruptedException {
        long exit = guest.code(TinyGuest.CODE + 0x100, new MachineCode().exit(DONE, 7).toBytes());
        AtomicBoolean over = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            while (!over.get()) { // a stop that arrives between runs is lost: repeat it until the call is over
                vcpu.requestStop();
                LockSupport.parkNanos(100_000);
            }
        });
        watchdog.start();
        VmExit stopped;
        try {
            stopped = run(new MachineCode().spin());
        } finally {
            over.set(true);
            watchdog.join();
        }

        assertThat(stopped).isEqualTo(new VmExit.Interrupted());
        assertThat(skipInterrupts(vcpu.enter(exit))).isEqualTo(io(DONE, 7));
    }

    @Test
    void newCodeRunsWhenMappedUnderANewDigest() {
        assertThat(run(new MachineCode().exit(DONE, 1))).isEqualTo(io(DONE, 1));
        guest.code(new MachineCode().exit(DONE, 2).toBytes());
        vcpu.map(guest.slots(), newCode());
        vcpu.setEntryState(guest.entryState());

        assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(io(DONE, 2));
        assertThat(releases).as("the first code's lease").hasValue(1);
    }

    /**
     * The contract of a digest: same digest, same bytes. A backend may keep the code it translated, so bytes
     * changed under an unchanged digest may not be seen (snapgate never does this: code is never written).
     * Either way one of the two leases is given back at once.
     */
    @Test
    void theSameDigestGivesOneLeaseBackAtOnce() {
        GuestCode code = newCode();
        guest.code(new MachineCode().exit(DONE, 1).toBytes());
        vcpu.map(guest.slots(), code);
        vcpu.setEntryState(guest.entryState());
        assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(io(DONE, 1));

        guest.code(new MachineCode().exit(DONE, 2).toBytes());
        vcpu.map(guest.slots(), new GuestCode(code.digest(), releases::incrementAndGet));
        vcpu.setEntryState(guest.entryState());
        assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(io(DONE, keepsCodeUnderTheSameDigest() ? 1 : 2));
        assertThat(releases).as("one of the two leases, given back at once").hasValue(1);
    }

    @Test
    void mapReplacesEverySlotCodeIncluded() {
        assertThat(run(new MachineCode().exit(DONE, 1))).isEqualTo(io(DONE, 1));
        try (TinyGuest next = new TinyGuest()) {
            next.code(new MachineCode().exit(DONE, 2).toBytes());
            vcpu.map(next.slots(), newCode());
            vcpu.setEntryState(next.entryState());

            assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(io(DONE, 2));
            vcpu.map(guest.slots(), newCode()); // before next's memory goes
        }
    }

    /** Sandboxes change the host memory under a slot in place; the vCPU must see it without a new map(). */
    @Test
    void hostMemoryRemappedOrDroppedUnderASlotIsSeenWithoutANewMap() {
        guest.writeLong(TinyGuest.DATA, 7);
        MachineCode storeThenLoad = new MachineCode().storeByte((int) TinyGuest.DATA + 8, 1)
                .loadRax((int) TinyGuest.DATA).exitWithEax(DONE);
        assertThat(run(storeThenLoad)).isEqualTo(io(DONE, 7));

        guest.remapPage(TinyGuest.DATA, 9);
        assertThat(guest.readLong(TinyGuest.DATA + 8)).isZero();
        assertThat(vcpu.enter(TinyGuest.CODE)).as("after MAP_FIXED").isEqualTo(io(DONE, 9));
        assertThat(guest.readLong(TinyGuest.DATA + 8)).as("the guest's store, in the new page").isEqualTo(1);
        guest.dropPage(TinyGuest.DATA);
        assertThat(vcpu.enter(TinyGuest.CODE)).as("after MADV_DONTNEED").isEqualTo(io(DONE, 0));
        assertThat(guest.readLong(TinyGuest.DATA + 8)).isEqualTo(1);
    }

    @Test
    void aThousandEntersAllExit() {
        assertThat(run(new MachineCode().movEaxEdi().exitWithEax(DONE))).isEqualTo(io(DONE, (int) TinyGuest.DATA));
        for (int i = 0; i < 1000; i++) {
            assertThat(vcpu.enter(TinyGuest.CODE)).isEqualTo(io(DONE, (int) TinyGuest.DATA));
        }
    }

    @Test
    void aThousandResumesAllExit() {
        MachineCode code = new MachineCode().exit(HOST_CALL, 9).jumpBackTo(0);

        assertThat(run(code)).isEqualTo(io(HOST_CALL, 9));
        for (int i = 0; i < 1000; i++) {
            assertThat(vcpu.resume()).isEqualTo(io(HOST_CALL, 9));
        }
    }

    @Test
    void aClosedVcpuRefusesToRunAndIgnoresStops() {
        assertThat(run(new MachineCode().exit(DONE, 1))).isEqualTo(io(DONE, 1));
        vcpu.close();
        vcpu.close();
        vcpu.requestStop();

        assertThatThrownBy(() -> vcpu.enter(TinyGuest.CODE)).isInstanceOf(IllegalStateException.class);
    }
}
