package io.snapgate.vmm.vcpu.unicorn;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Unicorn's variadic functions, which JNA can only call through interface mapping. Both run at engine setup
 * or when code changes, never per exit, so the slower binding costs nothing that matters.
 */
interface UnicornVarargsLib extends Library {
    UnicornVarargsLib INSTANCE = Native.load(UnicornLib.LIBRARY_NAME, UnicornVarargsLib.class);

    /** {@code begin > end} hooks every address; {@code extra} is only read for instruction hooks. */
    int uc_hook_add(long uc, long[] hook, int type, Callback callback, long userData, long begin, long end,
            Object... extra);

    int uc_ctl(long uc, int control, Object... args);

    /** {@code uc_cb_hookintr_t}: a CPU exception or interrupt with this vector is about to be delivered. */
    interface InterruptHook extends Callback {
        void invoke(long uc, int vector, long userData);
    }

    /** {@code uc_cb_eventmem_t}: an access to unmapped or protected memory; false stops emulation with the error. */
    interface InvalidMemoryHook extends Callback {
        boolean invoke(long uc, int type, long address, int size, long value, long userData);
    }
}
