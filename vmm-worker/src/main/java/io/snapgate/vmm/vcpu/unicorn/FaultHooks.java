package io.snapgate.vmm.vcpu.unicorn;

/**
 * The two hooks every engine carries, and what they saw during the last run. They fire only on faults, so the
 * ~0.6 us a JNA callback costs never touches a clean exit. Both run on the thread inside {@code uc_emu_start}
 * and do nothing that can throw: a Java exception cannot unwind through Unicorn's C frames. Neither maps memory:
 * Unicorn 2.0.1 does not survive a mapping made from inside an access (its TLB is flushed, and may be resized,
 * under the access still using it), which corrupted the engine and the process's C heap for later programs.
 */
final class FaultHooks {
    static final int NO_VECTOR = -1;

    private int vector = NO_VECTOR;
    private long address;

    /*
     * Fields, not locals: Unicorn keeps only the native function pointers, and JNA frees a callback's native
     * stub once the Java object is collected, which would crash the next fault. They live as long as the engine.
     */
    private final UnicornVarargsLib.InterruptHook onInterrupt = (uc, vector, userData) -> {
        this.vector = vector;
        UnicornLib.uc_emu_stop(uc); // without a stop Unicorn delivers the exception to the guest's (absent) IDT
    };

    private final UnicornVarargsLib.InvalidMemoryHook onInvalidMemory = (uc, type, address, size, value,
            userData) -> {
        this.address = address; // the error code that uc_emu_start returns says which kind of access it was
        return false;
    };

    void install(long uc) {
        long[] handle = new long[1];
        UnicornException.check(UnicornVarargsLib.INSTANCE.uc_hook_add(uc, handle, UnicornConstants.UC_HOOK_INTR,
                onInterrupt, 0L, 1L, 0L), "uc_hook_add(UC_HOOK_INTR)");
        UnicornException.check(UnicornVarargsLib.INSTANCE.uc_hook_add(uc, handle,
                UnicornConstants.UC_HOOK_MEM_INVALID, onInvalidMemory, 0L, 1L, 0L), "uc_hook_add(UC_HOOK_MEM_INVALID)");
    }

    /** Forgets the last run; called before every run. */
    void clear() {
        vector = NO_VECTOR;
        address = 0;
    }

    /** The vector of the exception that stopped the last run, or {@link #NO_VECTOR}. */
    int vector() {
        return vector;
    }

    /** The guest address of the invalid access that stopped the last run. */
    long address() {
        return address;
    }
}
