package io.snapgate.vmm.vcpu.unicorn;

import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_EXCEPTION;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_FETCH_PROT;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_FETCH_UNMAPPED;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_INSN_INVALID;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_OK;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_READ_PROT;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_READ_UNMAPPED;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_WRITE_PROT;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_ERR_WRITE_UNMAPPED;

import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VmExit;
import io.snapgate.vmm.vcpu.VmExit.Access;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vCPU on a pooled Unicorn engine. A run ends when the guest halts (the ABI's {@code out dx, eax; hlt}: the
 * {@code out} does nothing here, {@code hlt} returns from {@code uc_emu_start} with RIP after it, and the port
 * and value are read from DX and EAX), faults, or is stopped.
 *
 * <p>{@link #requestStop()} is {@code uc_emu_stop}, with three races a caller must live with. A stop that arrives
 * while no run is in progress is dropped (repeat it until the call is over). One that lands as a run starts,
 * before its first instruction, returns at once with RIP unchanged: after an {@link VmExit.IoOut} RIP still
 * follows the exit sequence, so that IoOut is reported again. One that lands after a store in a translated
 * block makes Unicorn 2.0.1 rewind RIP to the block's start with the block's earlier instructions (and the
 * store) done, so resuming runs them twice. Hence: after a stop it asked for, a caller ends the call at the
 * next exit of any kind, and it never lets a stop reach a call it was not meant for.
 */
final class UnicornVcpu implements Vcpu {
    private static final Logger LOG = LoggerFactory.getLogger(UnicornVcpu.class);

    private static final int HLT = 0xF4;
    private static final int EFER = 0xC000_0080;
    private static final long MXCSR_DEFAULT = 0x1F80;
    private static final long FPU_CONTROL_DEFAULT = 0x37F;
    private static final int INVALID_OPCODE = 6;
    private static final int PAGE_FAULT = 14;
    /** The vector of a CPU exception Unicorn reported as UC_ERR_EXCEPTION without calling the interrupt hook. */
    private static final int UNKNOWN_VECTOR = -1;
    private static final VmExit INTERRUPTED = new VmExit.Interrupted();

    private final EnginePool pool;
    private final long uc;
    private final FaultHooks hooks;
    private final EngineRegisters registers;
    /** Null once closed; guarded by {@code this} against a racing {@link #requestStop()}. */
    private UnicornEngine engine;
    private GuestSlots slots = GuestSlots.NONE;
    private List<MemorySlot> dataSlots = List.of();
    private boolean entryStateSet;
    private boolean resumable;
    /** Where the last run stopped: {@link #resume()} goes on from here. */
    private long rip;
    /** Set when Unicorn failed in a way that leaves the engine's state unknown: it is closed, never pooled. */
    private boolean poisoned;

    UnicornVcpu(EnginePool pool, UnicornEngine engine) {
        this.pool = pool;
        this.engine = engine;
        this.uc = engine.handle();
        this.hooks = engine.hooks();
        this.registers = engine.registers();
    }

    /**
     * Maps the data slots, and the code slots unless the engine already holds the same code there: then its
     * translations stay valid (W^X: code is never written) and the new lease is given back at once.
     */
    @Override
    public void map(List<MemorySlot> newSlots, GuestCode code) {
        UnicornEngine engine = open();
        poisonOnFailure(() -> {
            List<MemorySlot> codeSlots = newSlots.stream().filter(s -> s.protection() == Protection.READ_EXECUTE)
                    .toList();
            // Code first: dropping translations looks addresses up through the page tables, which are data
            // (a pooled engine has paging off, where the lookup is the identity).
            if (engine.holdsCode(code.digest(), codeSlots)) {
                code.release().run();
            } else {
                engine.replaceCode(code, codeSlots);
            }
            unmapData(engine);
            // Whole, however large: its release then costs Unicorn's page-by-page unmap (16 us per MiB), but no
            // memory is ever mapped while a run is in progress (see FaultHooks).
            List<MemorySlot> data = MemorySlot.coalesce(
                    newSlots.stream().filter(s -> s.protection() != Protection.READ_EXECUTE).toList());
            for (MemorySlot slot : data) {
                engine.map(slot);
            }
            dataSlots = data;
            List<MemorySlot> all = new ArrayList<>(data);
            all.addAll(engine.codeSlots());
            slots = new GuestSlots(all);
        });
    }

    /** Unmaps the slots that are not code; the engine keeps its code for the next vCPU of the same guest. */
    private void unmapData(UnicornEngine engine) {
        List<MemorySlot> released = dataSlots;
        dataSlots = List.of();
        slots = GuestSlots.NONE;
        for (MemorySlot slot : released) {
            engine.unmap(slot);
        }
    }

    /**
     * Starts from a new engine's registers so nothing of an earlier guest survives (XMM, x87, segment bases),
     * then turns paging on the way a CPU does: CR3, CR4.PAE, EFER.LME, then CR0.PG. Unicorn's 64-bit mode
     * starts flat with EFER = LME|LMA already, so the EFER write only matters for a state that differs.
     *
     * <p>Skipped (~20 register writes, 6 us of a cold start) when a vCPU before set the engine's entry context to
     * this very state: every {@link #enter} restores that context whole, so the live registers do not matter.
     */
    @Override
    public void setEntryState(CpuState state) {
        UnicornEngine engine = open();
        if (!engine.holdsEntryState(state)) {
            poisonOnFailure(() -> {
                engine.resetRegisters();
                registers.write(uc, X86Register.CR3, state.cr3());
                registers.write(uc, X86Register.CR4, state.cr4());
                registers.writeMsr(uc, EFER, state.efer());
                registers.write(uc, X86Register.CR0, state.cr0());
                for (X86Register register : X86Register.ZEROED_ON_ENTRY) {
                    registers.write(uc, register, 0);
                }
                registers.write(uc, X86Register.RSP, state.rsp());
                registers.write(uc, X86Register.RDI, state.rdi());
                registers.write(uc, X86Register.RFLAGS, state.rflags());
                registers.write(uc, X86Register.MXCSR, MXCSR_DEFAULT);
                registers.write(uc, X86Register.FPCW, FPU_CONTROL_DEFAULT);
                engine.saveEntryState(state);
            });
        }
        entryStateSet = true;
        resumable = false; // the registers the last exit left are gone
    }

    @Override
    public VmExit enter(long entry) {
        UnicornEngine engine = open();
        if (!entryStateSet) {
            throw new IllegalStateException("enter() before setEntryState()");
        }
        int err = engine.restoreEntryState();
        if (err != UC_ERR_OK) {
            return fail("uc_context_restore(entry) and the MSR reset", err);
        }
        return run(engine, entry);
    }

    @Override
    public VmExit resume() {
        UnicornEngine engine = open();
        if (!resumable) {
            throw new IllegalStateException("resume() before the first exit");
        }
        return run(engine, rip);
    }

    private VmExit run(UnicornEngine engine, long begin) {
        int err = engine.run(begin);
        int readErr = registers.readExit(uc);
        if (readErr != UC_ERR_OK) {
            return fail("uc_reg_read_batch(RIP, RDX, RAX)", readErr);
        }
        rip = registers.rip();
        resumable = true;
        int vector = hooks.vector();
        if (vector != FaultHooks.NO_VECTOR) {
            return exception(vector);
        }
        return switch (err) {
            case UC_ERR_OK -> haltedBefore(rip)
                    ? new VmExit.IoOut((int) registers.rdx() & 0xFFFF, (int) registers.rax())
                    : INTERRUPTED;
            case UC_ERR_READ_UNMAPPED -> fault(Access.READ, false);
            case UC_ERR_WRITE_UNMAPPED -> fault(Access.WRITE, false);
            case UC_ERR_FETCH_UNMAPPED -> fault(Access.EXECUTE, false);
            case UC_ERR_READ_PROT -> fault(Access.READ, true);
            case UC_ERR_WRITE_PROT -> fault(Access.WRITE, true);
            case UC_ERR_FETCH_PROT -> fault(Access.EXECUTE, true);
            case UC_ERR_INSN_INVALID -> new VmExit.InvalidInstruction(rip);
            case UC_ERR_EXCEPTION -> new VmExit.CpuException(UNKNOWN_VECTOR, rip, 0);
            default -> fail("uc_emu_start", err);
        };
    }

    /**
     * Whether the run ended on a {@code hlt}. A stop leaves RIP at the start of a block, where the byte before
     * is 0xF4 only by chance (an immediate, or the last exit's {@code hlt} when the stop beat the first
     * instruction: see the class comment). The {@code out} before is not checked: a guest may use any
     * {@code out dx} form (the test guest's unknown-port exit is {@code out dx, al}).
     */
    private boolean haltedBefore(long address) {
        return slots.byteAt(address - 1) == HLT;
    }

    private VmExit fault(Access access, boolean mapped) {
        return new VmExit.MemoryFault(hooks.address(), access, mapped, rip);
    }

    private VmExit exception(int vector) {
        return switch (vector) {
            case INVALID_OPCODE -> new VmExit.InvalidInstruction(rip);
            case PAGE_FAULT -> {
                try {
                    yield new VmExit.CpuException(PAGE_FAULT, rip, registers.read(uc, X86Register.CR2));
                } catch (UnicornException e) {
                    poisoned = true;
                    yield new VmExit.Failed(e.getMessage());
                }
            }
            default -> new VmExit.CpuException(vector, rip, 0);
        };
    }

    private VmExit fail(String step, int err) {
        poisoned = true;
        return new VmExit.Failed(UnicornException.describe(step, err));
    }

    private void poisonOnFailure(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            poisoned = true;
            throw e;
        }
    }

    /** Safe from any thread, also during or after {@link #close()}: a closed vCPU ignores it. */
    @Override
    public synchronized void requestStop() {
        if (engine != null) {
            engine.requestStop();
        }
    }

    /**
     * Unmaps the guest and returns the engine to the pool with pristine registers, or closes it for real when
     * its state is unknown.
     */
    @Override
    public void close() {
        UnicornEngine engine = this.engine;
        if (engine == null) {
            return;
        }
        boolean reusable = !poisoned && clean(engine);
        synchronized (this) {
            this.engine = null; // from here a late requestStop() cannot reach the engine's next user
        }
        if (reusable) {
            pool.giveBack(engine);
        } else {
            engine.close();
        }
    }

    private boolean clean(UnicornEngine engine) {
        try {
            unmapData(engine);
            engine.resetRegisters();
            return true;
        } catch (UnicornException e) {
            LOG.warn("closing a Unicorn engine instead of pooling it: {}", e.getMessage());
            return false;
        }
    }

    private UnicornEngine open() {
        UnicornEngine engine = this.engine;
        if (engine == null) {
            throw new IllegalStateException("the vCPU is closed");
        }
        return engine;
    }
}
