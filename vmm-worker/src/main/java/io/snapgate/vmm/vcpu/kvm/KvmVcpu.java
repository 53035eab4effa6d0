package io.snapgate.vmm.vcpu.kvm;

import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_FAIL_ENTRY;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_HLT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_INTERNAL_ERROR;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_INTR;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_IO;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_IO_IN;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_MMIO;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_EXIT_SHUTDOWN;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_REGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_GET_SREGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_INTERNAL_ERROR_EMULATION;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_MEM_READONLY;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_RUN;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_REGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.KVM_SET_SREGS;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_RAX;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_RDX;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_RIP;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.REGS_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_EXIT_REASON;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_IMMEDIATE_EXIT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_INTERNAL_SUBERROR;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_IO_DATA_OFFSET;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_IO_DIRECTION;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_IO_PORT;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_IO_SIZE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_MMIO_IS_WRITE;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.RUN_MMIO_PHYS_ADDR;
import static io.snapgate.vmm.vcpu.kvm.KvmConstants.SREGS_CR2;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VmExit;
import io.snapgate.vmm.vcpu.VmExit.Access;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A vCPU on a {@link KvmMachine} (a VM of its own) leased from the backend's pool: the guest's slots are KVM
 * memory slots over the sandbox's host mapping (read-only where the slot is not writable), after the one of its
 * {@link HostPages}. A run is {@code KVM_RUN} until an
 * exit the SPI knows:
 * <ul>
 * <li>{@code out} on any port: {@link VmExit.IoOut} with the port and the value written (the ABI's
 *     {@code out dx, eax}: EAX); the {@code hlt} after it exits again and is skipped on resume. A {@code hlt}
 *     without an {@code out} before it reports DX and EAX, like the emulated backend;
 * <li>MMIO (an access to a guest physical address with no slot, or a write to a read-only one): a
 *     {@link VmExit.MemoryFault} at that address (the identity map makes it the guest address too);
 * <li>an exception stub's exit ({@link HostPages}): {@link VmExit.InvalidInstruction} for #UD, a
 *     {@link VmExit.MemoryFault} for an instruction fetch from a no-execute page (data: see {@link GuestTables}),
 *     else {@link VmExit.CpuException} with the faulting RIP (and CR2 for #PF);
 * <li>SHUTDOWN (a triple fault), an {@code in} instruction: each a clear exit;
 * <li>FAIL_ENTRY, INTERNAL_ERROR and exits KVM should not give: {@link VmExit.UnrunnableState} once the guest
 *     has run (its state is what KVM or the CPU refused), {@link VmExit.Failed} when the registers are still
 *     the entry state this class loaded (then the fault is the backend's).
 * </ul>
 * KVM finishes an IO or MMIO exit's instruction on the next {@code KVM_RUN}; before loading a new entry state,
 * {@link #enter} runs it with {@code immediate_exit} set until it is done, so the old instruction cannot write
 * over the new registers. Every entry then loads the entry registers, the vCPU's {@link FreshState} and the
 * host pages' writable part, so nothing a call changed reaches the next one. {@link #requestStop()} sets
 * {@code immediate_exit} and kicks the thread inside {@code KVM_RUN} with {@link KickSignal}.
 */
final class KvmVcpu implements Vcpu {
    /** The guest's slots, in order, after the host pages' slots. */
    private static final int FIRST_GUEST_SLOT = KvmMachine.WRITABLE_PAGES_SLOT + 1;
    private static final int INVALID_OPCODE = 6;
    private static final int DOUBLE_FAULT = 8;
    private static final int PAGE_FAULT = 14;
    /** #PF error code: the page was present (a protection fault), and the access was an instruction fetch. */
    private static final long PF_PRESENT = 1;
    private static final long PF_FETCH = 1 << 4;
    /** KVM_RUN calls that may be needed to finish one instruction (an MMIO access in fragments exits per piece). */
    private static final int MAX_FINISH_RUNS = 16;
    private static final VmExit INTERRUPTED = new VmExit.Interrupted();

    private final KvmMachine machine;
    /** Where the machine goes when this vCPU closes cleanly: the backend's pool. */
    private final Consumer<KvmMachine> giveBack;
    private final int fd;
    private final Pointer run;
    private final HostPages pages;
    private final FreshState fresh;
    private final Memory exitRegs;
    private final Memory exitSregs;
    /** The register blocks {@link #enter} loads (package-private: a test corrupts them to see an entry refused). */
    final LongModeRegisters entry;

    private List<MemorySlot> slots = List.of();
    private GuestCode code;
    private boolean entryStateSet;
    private boolean resumable;
    /** The last exit was an {@code out}: the {@code hlt} after it is part of the exit, not a new one. */
    private boolean afterOut;
    /** The last exit left an IO or MMIO instruction for KVM to finish on the next KVM_RUN. */
    private boolean unfinished;
    /** Set by an exit or failure after which the machine's state is unknown: it is closed, never pooled. */
    private boolean poisoned;

    /** Guarded by {@code this}: closed, and which thread is inside KVM_RUN (0: none) and whether it was kicked. */
    private boolean closed;
    private int runningThread;
    private boolean kicked;

    KvmVcpu(KvmMachine machine, Consumer<KvmMachine> giveBack) {
        this.machine = machine;
        this.giveBack = giveBack;
        this.fd = machine.fd;
        this.run = machine.run;
        this.pages = machine.pages;
        this.fresh = machine.fresh;
        this.exitRegs = machine.exitRegs;
        this.exitSregs = machine.exitSregs;
        this.entry = machine.entry;
    }

    /**
     * Deletes the old guest slots (size 0) and registers the new ones. KVM reads guest memory through the host
     * mapping at fault time, so a later {@code MAP_FIXED} remap of the same range or {@code MADV_DONTNEED} is
     * seen without registering again (SandboxSnapshotTest and SandboxResetTest run on KVM too).
     */
    @Override
    public void map(List<MemorySlot> newSlots, GuestCode newCode) {
        open();
        if (FIRST_GUEST_SLOT + newSlots.size() > KvmDevice.SLOTS_NEEDED) {
            throw new IllegalArgumentException(newSlots.size() + " memory slots are more than the KVM backend's "
                    + (KvmDevice.SLOTS_NEEDED - FIRST_GUEST_SLOT));
        }
        deleteSlots();
        releaseCode();
        code = newCode;
        List<MemorySlot> registered = new ArrayList<>();
        try {
            for (MemorySlot slot : newSlots) {
                int flags = slot.protection() == Protection.READ_WRITE ? 0 : KVM_MEM_READONLY;
                machine.setRegion(FIRST_GUEST_SLOT + registered.size(), slot.guestAddress(), slot.hostAddress(),
                        slot.size(), flags);
                registered.add(slot);
            }
        } finally {
            slots = List.copyOf(registered); // exactly what KVM holds, so a later delete or pooling stays right
        }
    }

    /**
     * Copies the image's page tables into the host pages (no-execute outside the read+execute slots) and builds
     * the register blocks {@link #enter} loads.
     */
    @Override
    public void setEntryState(CpuState state) {
        open();
        MemorySlot tables = slotAt(state.cr3());
        if (tables == null || state.cr3() + HostPages.PAGE > tables.guestEnd()) {
            throw new IllegalArgumentException(String.format("the page tables at CR3 0x%x are not in a memory slot",
                    state.cr3()));
        }
        entryStateSet = false; // until the blocks are complete
        List<MemorySlot> code = slots.stream().filter(s -> s.protection() == Protection.READ_EXECUTE).toList();
        long cr3 = pages.copyTables(tables, state.cr3(), code);
        machine.mapWritablePages();
        entry.set(state, cr3, machine.resetSregs);
        entryStateSet = true;
        resumable = false;
    }

    @Override
    public VmExit enter(long rip) {
        open();
        if (!entryStateSet) {
            throw new IllegalStateException("enter() before setEntryState()");
        }
        run.setByte(RUN_IMMEDIATE_EXIT, (byte) 0); // a stop that came between calls was meant for an earlier one
        if (unfinished) {
            VmExit failed = finishLastInstruction();
            if (failed != null) {
                return failed;
            }
        }
        entry.rip(rip);
        pages.restore();
        try {
            KvmLib.ioctl(fd, KVM_SET_SREGS, Pointer.nativeValue(entry.sregs), "KVM_SET_SREGS");
            KvmLib.ioctl(fd, KVM_SET_REGS, Pointer.nativeValue(entry.regs), "KVM_SET_REGS");
            fresh.load(fd);
        } catch (KvmException e) {
            return terminal(e.getMessage());
        }
        afterOut = false;
        resumable = true;
        return runUntilExit();
    }

    /**
     * KVM_RUN with immediate_exit set until it returns EINTR: KVM completes the last IO or MMIO instruction first.
     * An MMIO access KVM splits in fragments (16 bytes, or across a page) returns 0 with the next fragment's exit
     * instead; left pending, that completion would run on the next call's registers.
     */
    private VmExit finishLastInstruction() {
        run.setByte(RUN_IMMEDIATE_EXIT, (byte) 1);
        int err = 0;
        for (int i = 0; i < MAX_FINISH_RUNS && err == 0; i++) {
            err = kvmRun();
        }
        run.setByte(RUN_IMMEDIATE_EXIT, (byte) 0);
        unfinished = false;
        return err == KvmLib.EINTR ? null : failed("KVM_RUN(immediate_exit)", err);
    }

    @Override
    public VmExit resume() {
        open();
        if (!resumable) {
            throw new IllegalStateException("resume() before the first exit");
        }
        return runUntilExit();
    }

    private VmExit runUntilExit() {
        while (true) {
            int err = kvmRun();
            unfinished = false; // KVM finishes the last IO or MMIO instruction before anything else in KVM_RUN
            if (err == KvmLib.EINTR) {
                run.setByte(RUN_IMMEDIATE_EXIT, (byte) 0);
                return INTERRUPTED;
            }
            if (err != 0) {
                resumable = false;
                return failed("KVM_RUN", err);
            }
            boolean halt = run.getInt(RUN_EXIT_REASON) == KVM_EXIT_HLT;
            if (halt && afterOut) {
                afterOut = false;
                continue;
            }
            afterOut = false;
            try {
                return exit();
            } catch (KvmException e) { // reading the registers after the exit failed
                return terminal(e.getMessage());
            }
        }
    }

    /** KVM_RUN on this thread, kickable by {@link #requestStop()} while inside; returns 0 or the errno. */
    private int kvmRun() {
        int thread = KickSignal.thisThread();
        synchronized (this) {
            runningThread = thread;
        }
        int err = KvmLib.run(fd);
        boolean drain;
        synchronized (this) {
            runningThread = 0;
            drain = kicked;
            kicked = false;
        }
        if (drain) {
            KickSignal.drain();
        }
        return err;
    }

    private VmExit exit() {
        int reason = run.getInt(RUN_EXIT_REASON);
        return switch (reason) {
            case KVM_EXIT_IO -> io();
            case KVM_EXIT_HLT -> {
                readRegisters();
                yield new VmExit.IoOut((int) exitRegs.getLong(REGS_RDX) & 0xFFFF, (int) exitRegs.getLong(REGS_RAX));
            }
            case KVM_EXIT_MMIO -> {
                unfinished = true;
                long address = run.getLong(RUN_MMIO_PHYS_ADDR);
                Access access = run.getByte(RUN_MMIO_IS_WRITE) != 0 ? Access.WRITE : Access.READ;
                yield new VmExit.MemoryFault(address, access, slotAt(address) != null, readRegisters());
            }
            case KVM_EXIT_SHUTDOWN -> {
                resumable = false;
                poisoned = true; // what a triple fault leaves behind differs between Intel and AMD
                yield new VmExit.CpuException(DOUBLE_FAULT, readRegisters(), 0);
            }
            case KVM_EXIT_INTR -> INTERRUPTED;
            case KVM_EXIT_FAIL_ENTRY -> refused(String.format(
                    "KVM_EXIT_FAIL_ENTRY: the CPU refused to enter the guest, hardware reason 0x%x",
                    run.getLong(RUN_FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON)));
            case KVM_EXIT_INTERNAL_ERROR -> internalError();
            default -> refused("KVM_RUN exited with reason " + reason + ", which the KVM backend does not handle");
        };
    }

    private VmExit io() {
        unfinished = true;
        int port = run.getShort(RUN_IO_PORT) & 0xFFFF;
        if (run.getByte(RUN_IO_DIRECTION) == KVM_EXIT_IO_IN) {
            return new VmExit.InvalidInstruction(readRegisters()); // no device answers: the ABI has no input
        }
        long data = run.getLong(RUN_IO_DATA_OFFSET);
        int value = switch (run.getByte(RUN_IO_SIZE)) {
            case 1 -> run.getByte(data) & 0xFF;
            case 2 -> run.getShort(data) & 0xFFFF;
            default -> run.getInt(data);
        };
        if (port == HostPages.PORT && HostPages.isStub(readRegisters())) {
            resumable = false;
            return exception(value);
        }
        afterOut = true;
        return new VmExit.IoOut(port, value);
    }

    private VmExit exception(int vector) {
        long rip = pages.faultRip();
        return switch (vector) {
            case INVALID_OPCODE -> new VmExit.InvalidInstruction(rip);
            case PAGE_FAULT -> pageFault(rip);
            default -> new VmExit.CpuException(vector, rip, 0);
        };
    }

    /** A fetch from a present page is one from a no-execute page: data, as the emulated backend reports it. */
    private VmExit pageFault(long rip) {
        try {
            KvmLib.ioctl(fd, KVM_GET_SREGS, Pointer.nativeValue(exitSregs), "KVM_GET_SREGS");
        } catch (KvmException e) {
            return terminal(e.getMessage());
        }
        long address = exitSregs.getLong(SREGS_CR2);
        if ((pages.faultErrorCode() & (PF_PRESENT | PF_FETCH)) == (PF_PRESENT | PF_FETCH)) {
            return new VmExit.MemoryFault(address, Access.EXECUTE, slotAt(address) != null, rip);
        }
        return new VmExit.CpuException(PAGE_FAULT, rip, address);
    }

    /**
     * An emulation failure at a RIP outside every slot is an instruction fetch from unmapped memory (KVM cannot
     * fetch an instruction from MMIO): the same fault the emulated backend reports.
     */
    private VmExit internalError() {
        int suberror = run.getInt(RUN_INTERNAL_SUBERROR);
        long rip = readRegisters();
        if (suberror == KVM_INTERNAL_ERROR_EMULATION && slotAt(rip) == null) {
            resumable = false;
            return new VmExit.MemoryFault(rip, Access.EXECUTE, false, rip);
        }
        return refused(String.format("KVM_EXIT_INTERNAL_ERROR, suberror %d (%s), at rip 0x%x", suberror,
                suberror(suberror), rip));
    }

    private static String suberror(int suberror) {
        return switch (suberror) {
            case KVM_INTERNAL_ERROR_EMULATION -> "an instruction KVM cannot emulate";
            case 2 -> "an exception while delivering an exception";
            case 3 -> "a fault while delivering an event";
            case 4 -> "an exit reason KVM does not know";
            default -> "see <linux/kvm.h>";
        };
    }

    /**
     * KVM or the CPU cannot go on from the vCPU's state. When the registers are still the entry state this class
     * loaded, the state is ours and so is the fault ({@link VmExit.Failed}); once the guest ran, it is the guest's
     * ({@link VmExit.UnrunnableState}). The machine is not pooled either way.
     */
    private VmExit refused(String reason) {
        boolean ours;
        try {
            readRegisters();
            ours = Arrays.equals(exitRegs.getByteArray(0, REGS_SIZE), entry.regs.getByteArray(0, REGS_SIZE));
        } catch (KvmException e) {
            return terminal(reason + "; then " + e.getMessage());
        }
        if (ours) {
            return terminal(reason + " (on the entry state the KVM backend loaded)");
        }
        resumable = false;
        poisoned = true;
        return new VmExit.UnrunnableState(reason);
    }

    private VmExit terminal(String reason) {
        resumable = false;
        poisoned = true;
        return new VmExit.Failed(reason);
    }

    private VmExit failed(String call, int errno) {
        return terminal(new KvmException(call, errno).getMessage());
    }

    /** Reads the registers after an exit; returns RIP. */
    private long readRegisters() {
        KvmLib.ioctl(fd, KVM_GET_REGS, Pointer.nativeValue(exitRegs), "KVM_GET_REGS");
        return exitRegs.getLong(REGS_RIP);
    }

    private MemorySlot slotAt(long address) {
        for (MemorySlot slot : slots) {
            if (address >= slot.guestAddress() && address < slot.guestEnd()) {
                return slot;
            }
        }
        return null;
    }

    /** Safe from any thread, also during or after {@link #close()}: a closed vCPU ignores it. */
    @Override
    public synchronized void requestStop() {
        if (closed) {
            return;
        }
        run.setByte(RUN_IMMEDIATE_EXIT, (byte) 1);
        if (runningThread != 0) {
            KickSignal.kick(runningThread);
            kicked = true;
        }
    }

    /**
     * Deletes the guest's slots and gives the machine back to the backend's pool, or destroys its VM when its
     * state is unknown; the guest memory is the sandbox's and stays.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true; // from here a late requestStop() touches nothing
        }
        boolean reusable = !poisoned && clean();
        releaseCode();
        if (reusable) {
            giveBack.accept(machine);
        } else {
            machine.close();
        }
    }

    /** Finishes a pending instruction and deletes the guest's slots; false when KVM refused either. */
    private boolean clean() {
        try {
            if (unfinished && finishLastInstruction() != null) {
                return false;
            }
            deleteSlots();
            return true;
        } catch (KvmException e) {
            return false;
        }
    }

    /** Deletes the guest's memory slots (KVM: a slot of size 0). */
    private void deleteSlots() {
        for (int i = 0; i < slots.size(); i++) {
            machine.setRegion(FIRST_GUEST_SLOT + i, slots.get(i).guestAddress(), 0, 0, 0);
        }
        slots = List.of();
    }

    private void releaseCode() {
        if (code != null) {
            GuestCode released = code;
            code = null;
            released.release().run();
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the vCPU is closed");
        }
    }
}
