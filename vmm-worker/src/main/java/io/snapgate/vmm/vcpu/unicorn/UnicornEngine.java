package io.snapgate.vmm.vcpu.unicorn;

import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MemorySlot;
import java.util.List;

/**
 * One {@code uc_engine} (x86-64) with its fault hooks, register buffer and two register contexts: the state
 * right after {@code uc_open} ("pristine", paging off) and a vCPU's entry state. Opened warm: Unicorn sets an
 * engine up lazily, on its first use and first run, which takes milliseconds; that happens here, off any call
 * path. Used by one thread at a time; only {@link #requestStop()} may come from another.
 */
final class UnicornEngine implements AutoCloseable {
    /**
     * The {@code until} address of every run: non-canonical, so no instruction can start there and no run
     * ends at it. With 0, a guest jumping to 0 stops there with a page fault instead of UC_ERR_FETCH_UNMAPPED.
     */
    private static final long NEVER_REACHED = 0x8000_0000_0000_0000L;
    private static final long WARM_UP_PAGE = 0x1000;
    private static final long PAGE_SIZE = 0x1000;
    private static final byte HLT = (byte) 0xF4;

    private final long handle;
    private final FaultHooks hooks = new FaultHooks();
    private final EngineRegisters registers = new EngineRegisters();
    private LeftoverMsrs leftoverMsrs;
    /** Whether the code it holds can write the MSRs a context does not restore ({@link LeftoverMsrs}). */
    private boolean codeWritesMsrs;
    private long pristineContext;
    private long entryContext;
    /** The state {@link #entryContext} holds, or null before the first {@link #saveEntryState}. */
    private CpuState entryState;
    /** The code this engine keeps mapped and translated between vCPUs, and its slots; null when none. */
    private GuestCode code;
    private List<MemorySlot> codeSlots = List.of();

    private UnicornEngine(long handle) {
        this.handle = handle;
    }

    /** A new engine, hooked and warmed up. */
    static UnicornEngine open() {
        long[] handle = new long[1];
        UnicornException.check(UnicornLib.uc_open(UnicornConstants.UC_ARCH_X86, UnicornConstants.UC_MODE_64, handle),
                "uc_open(x86, 64-bit)");
        UnicornEngine engine = new UnicornEngine(handle[0]);
        try {
            engine.setUp();
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private void setUp() {
        hooks.install(handle);
        pristineContext = allocateContext("pristine");
        entryContext = allocateContext("entry");
        UnicornException.check(UnicornLib.uc_context_save(handle, pristineContext), "uc_context_save(pristine)");
        leftoverMsrs = new LeftoverMsrs(handle);
        warmUp();
    }

    private long allocateContext(String which) {
        long[] context = new long[1];
        UnicornException.check(UnicornLib.uc_context_alloc(handle, context), "uc_context_alloc(" + which + ")");
        return context[0];
    }

    /** Runs one {@code hlt} on a scratch page, then forgets the page, its translation and the registers it moved. */
    private void warmUp() {
        UnicornException.check(UnicornLib.uc_mem_map(handle, WARM_UP_PAGE, PAGE_SIZE, UnicornConstants.UC_PROT_READ
                | UnicornConstants.UC_PROT_EXEC), "uc_mem_map(warm-up page)");
        UnicornException.check(UnicornLib.uc_mem_write(handle, WARM_UP_PAGE, new byte[] {HLT}, 1),
                "uc_mem_write(warm-up page)");
        UnicornException.check(run(WARM_UP_PAGE), "uc_emu_start(warm-up hlt)");
        dropTranslatedCode(List.of(new GuestSlots.Range(WARM_UP_PAGE, WARM_UP_PAGE + PAGE_SIZE)));
        UnicornException.check(UnicornLib.uc_mem_unmap(handle, WARM_UP_PAGE, PAGE_SIZE), "uc_mem_unmap(warm-up page)");
        resetRegisters();
    }

    FaultHooks hooks() {
        return hooks;
    }

    EngineRegisters registers() {
        return registers;
    }

    long handle() {
        return handle;
    }

    void map(MemorySlot slot) {
        int perms = switch (slot.protection()) {
            case READ_ONLY -> UnicornConstants.UC_PROT_READ;
            case READ_WRITE -> UnicornConstants.UC_PROT_READ | UnicornConstants.UC_PROT_WRITE;
            case READ_EXECUTE -> UnicornConstants.UC_PROT_READ | UnicornConstants.UC_PROT_EXEC;
        };
        UnicornException.check(UnicornLib.uc_mem_map_ptr(handle, slot.guestAddress(), slot.size(), perms,
                slot.hostAddress()), "uc_mem_map_ptr(" + describe(slot) + ", " + slot.protection() + ")");
    }

    void unmap(MemorySlot slot) {
        UnicornException.check(UnicornLib.uc_mem_unmap(handle, slot.guestAddress(), slot.size()),
                "uc_mem_unmap(" + describe(slot) + ")");
    }

    private static String describe(MemorySlot slot) {
        return "slot " + slot.name() + " @0x" + Long.toHexString(slot.guestAddress()) + ", 0x"
                + Long.toHexString(slot.size()) + " bytes";
    }

    /** Whether this engine already has {@code digest} mapped at exactly these guest ranges. */
    boolean holdsCode(String digest, List<MemorySlot> slots) {
        return code != null && code.digest().equals(digest) && sameRanges(codeSlots, slots);
    }

    private static boolean sameRanges(List<MemorySlot> a, List<MemorySlot> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).guestAddress() != b.get(i).guestAddress() || a.get(i).size() != b.get(i).size()) {
                return false;
            }
        }
        return true;
    }

    /** The code slots mapped now (their host memory may be an earlier lease's: same digest, same bytes). */
    List<MemorySlot> codeSlots() {
        return codeSlots;
    }

    String codeDigest() {
        return code == null ? null : code.digest();
    }

    /**
     * Drops the code it keeps (translations, slots, lease) and maps {@code slots} holding {@code next}. Owns
     * {@code next}'s lease from the start, so a failure half way still releases it when the engine closes.
     */
    void replaceCode(GuestCode next, List<MemorySlot> slots) {
        try {
            if (codeWritesMsrs) {
                UnicornException.check(leftoverMsrs.reset(handle), "uc_reg_write_batch(MTRR and machine-check MSRs)");
            }
            dropCode();
        } finally {
            code = next;
            codeWritesMsrs = true; // until the scan says otherwise
        }
        codeWritesMsrs = LeftoverMsrs.canWrite(slots);
        for (MemorySlot slot : slots) {
            map(slot);
            codeSlots = append(codeSlots, slot);
        }
    }

    private static List<MemorySlot> append(List<MemorySlot> list, MemorySlot slot) {
        List<MemorySlot> longer = new java.util.ArrayList<>(list);
        longer.add(slot);
        return List.copyOf(longer);
    }

    private void dropCode() {
        List<MemorySlot> old = codeSlots;
        GuestCode leased = code;
        codeSlots = List.of();
        code = null;
        try {
            dropTranslatedCode(new GuestSlots(old).codeRanges());
            for (MemorySlot slot : old) {
                unmap(slot);
            }
        } finally {
            if (leased != null) {
                leased.release().run();
            }
        }
    }

    /**
     * Drops translated code of these guest ranges. Unicorn turns each range's start into a RAM offset through
     * the current page tables: snapgate's are the identity (and before the entry state paging is off), so that
     * is the slot's own address. A start with no page table entry has no code to drop: Unicorn catches the
     * page fault and skips the range.
     */
    void dropTranslatedCode(List<GuestSlots.Range> ranges) {
        for (GuestSlots.Range range : ranges) {
            UnicornException.check(UnicornVarargsLib.INSTANCE.uc_ctl(handle,
                    UnicornConstants.UC_CTL_TB_REMOVE_CACHE_WRITE, range.begin(), range.end()),
                    "uc_ctl(remove cache 0x" + Long.toHexString(range.begin()) + "-0x"
                            + Long.toHexString(range.end()) + ")");
        }
    }

    /** Back to the state of a new engine: nothing an earlier guest left in any register survives. */
    void resetRegisters() {
        UnicornException.check(UnicornLib.uc_context_restore(handle, pristineContext), "uc_context_restore(pristine)");
    }

    /** Saves the registers as they are now as the entry context; {@code state} is what they were set to. */
    void saveEntryState(CpuState state) {
        entryState = null; // unknown if the save fails half way
        UnicornException.check(UnicornLib.uc_context_save(handle, entryContext), "uc_context_save(entry)");
        entryState = state;
    }

    /** Whether the entry context already holds {@code state}, as set from pristine registers by a vCPU before. */
    boolean holdsEntryState(CpuState state) {
        return state.equals(entryState);
    }

    /**
     * Restores the entry context, and the MSRs it does not hold when the code can write them; returns the uc_err:
     * this is the hot path, the caller decides what a failure becomes.
     */
    int restoreEntryState() {
        int err = UnicornLib.uc_context_restore(handle, entryContext);
        return err != UnicornConstants.UC_ERR_OK || !codeWritesMsrs ? err : leftoverMsrs.reset(handle);
    }

    /** Runs from {@code begin} until the guest halts, faults or is stopped; returns the uc_err. */
    int run(long begin) {
        hooks.clear();
        return UnicornLib.uc_emu_start(handle, begin, NEVER_REACHED, 0, 0);
    }

    /**
     * Ends the current run soon. Any thread: Unicorn's own timeout thread calls this too. Lost when no run is
     * in progress (Unicorn ignores it, and the next {@code uc_emu_start} clears a late one).
     */
    void requestStop() {
        UnicornLib.uc_emu_stop(handle);
    }

    /** Destroys the engine and lets go of the code it kept. */
    @Override
    public void close() {
        GuestCode leased = code;
        code = null;
        if (leased != null) {
            leased.release().run();
        }
        for (long context : new long[] {pristineContext, entryContext}) {
            if (context != 0) {
                UnicornLib.uc_context_free(context);
            }
        }
        UnicornLib.uc_close(handle);
        registers.free();
        if (leftoverMsrs != null) {
            leftoverMsrs.close();
        }
    }
}
