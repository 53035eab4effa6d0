package io.snapgate.vmm.vcpu.unicorn;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The Unicorn 2 C API through JNA direct mapping, which is 3-4x cheaper per call than interface mapping:
 * {@code uc_emu_start} and friends run on every guest exit. Every pointer (engine, context, host buffer) is a
 * plain {@code long}. Functions return a {@code uc_err}; {@link UnicornException} turns one into a message.
 * The two variadic functions cannot be direct-mapped and live in {@link UnicornVarargsLib}.
 */
final class UnicornLib {
    /**
     * "unicorn" is libunicorn.so, which only the -dev package installs (though JNA also tries versioned names);
     * the runtime package (Debian libunicorn2) ships just the soname.
     */
    private static final String[] CANDIDATES = {"unicorn", "libunicorn.so.2"};

    /** The first candidate that loads; {@link UnicornVarargsLib} loads the library under the same name. */
    static final String LIBRARY_NAME = loadableName();

    static {
        Native.register(UnicornLib.class, NativeLibrary.getInstance(LIBRARY_NAME));
    }

    private UnicornLib() {
    }

    private static String loadableName() {
        UnsatisfiedLinkError failure = new UnsatisfiedLinkError("libunicorn (Unicorn 2) does not load; tried "
                + String.join(", ", CANDIDATES));
        for (String name : CANDIDATES) {
            try {
                NativeLibrary.getInstance(name); // cached: registering gets this same instance
                return name;
            } catch (UnsatisfiedLinkError e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    /** {@code (major << 24) | (minor << 16) | ...}; null pointers ask for the packed number only. */
    static native int uc_version(long major, long minor);

    static native String uc_strerror(int err);

    static native int uc_open(int arch, int mode, long[] engine);

    static native int uc_close(long uc);

    static native int uc_mem_map(long uc, long address, long size, int perms);

    static native int uc_mem_map_ptr(long uc, long address, long size, int perms, long hostAddress);

    static native int uc_mem_write(long uc, long address, byte[] bytes, long size);

    static native int uc_mem_unmap(long uc, long address, long size);

    static native int uc_reg_read(long uc, int regid, long value);

    static native int uc_reg_write(long uc, int regid, long value);

    /** {@code regs}: int[count]; {@code values}: void*[count], each pointing at that register's value slot. */
    static native int uc_reg_read_batch(long uc, long regs, long values, int count);

    /** The same layout as {@link #uc_reg_read_batch}, the values read from where the pointers point. */
    static native int uc_reg_write_batch(long uc, long regs, long values, int count);

    /** Never pass a timeout (it starts a thread per call) or a count (unreliable once code is translated). */
    static native int uc_emu_start(long uc, long begin, long until, long timeout, long count);

    static native int uc_emu_stop(long uc);

    static native int uc_context_alloc(long uc, long[] context);

    static native int uc_context_save(long uc, long context);

    static native int uc_context_restore(long uc, long context);

    static native int uc_context_free(long context);
}
