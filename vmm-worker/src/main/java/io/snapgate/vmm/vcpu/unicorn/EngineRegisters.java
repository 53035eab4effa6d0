package io.snapgate.vmm.vcpu.unicorn;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Register access for one engine through one native buffer allocated with it: the exit read (RIP, RDX, RAX in
 * a single {@code uc_reg_read_batch}, no allocation) and a slot for single registers and MSRs.
 *
 * <pre>
 * offset  0: int[3]   register ids    RIP, RDX, RAX
 * offset 16: void*[3] value pointers  -> offsets 40, 48, 56
 * offset 40: long[3]  values
 * offset 64: 16 bytes single register value, or a uc_x86_msr {uint32 rid; uint64 value @ +8}
 * </pre>
 */
final class EngineRegisters {
    private static final X86Register[] EXIT_REGISTERS = {X86Register.RIP, X86Register.RDX, X86Register.RAX};
    private static final int IDS = 0;
    private static final int POINTERS = 16;
    private static final int VALUES = 40;
    private static final int SINGLE = 64;
    private static final int SIZE = SINGLE + UnicornConstants.UC_X86_MSR_SIZE;

    private static final int RIP_VALUE = 0;
    private static final int RDX_VALUE = 8;
    private static final int RAX_VALUE = 16;

    private final Memory memory = new Memory(SIZE);
    private final long base = Pointer.nativeValue(memory);
    private final long ids = base + IDS;
    private final long pointers = base + POINTERS;
    private final long single = base + SINGLE;
    /** A view of the three exit values: ByteBuffer reads are JIT intrinsics, Memory.getLong is a JNI call. */
    private final ByteBuffer exitValues = memory.getByteBuffer(VALUES, 3 * Long.BYTES).order(ByteOrder.nativeOrder());

    EngineRegisters() {
        for (int i = 0; i < EXIT_REGISTERS.length; i++) {
            // i < 3: ids end at 12 <= POINTERS, pointers at 40 <= VALUES, values at 64 <= SINGLE
            memory.setInt(IDS + 4L * i, EXIT_REGISTERS[i].id);
            memory.setLong(POINTERS + 8L * i, base + VALUES + 8L * i);
        }
    }

    /** Reads RIP, RDX and RAX; returns the uc_err. */
    int readExit(long uc) {
        return UnicornLib.uc_reg_read_batch(uc, ids, pointers, EXIT_REGISTERS.length);
    }

    long rip() {
        return exitValues.getLong(RIP_VALUE); // the view is 24 bytes: 0, 8 and 16 are its three longs
    }

    long rdx() {
        return exitValues.getLong(RDX_VALUE);
    }

    long rax() {
        return exitValues.getLong(RAX_VALUE);
    }

    long read(long uc, X86Register register) {
        UnicornException.check(UnicornLib.uc_reg_read(uc, register.id, single), "uc_reg_read(" + register + ")");
        return memory.getLong(SINGLE); // SINGLE + 8 <= SIZE
    }

    /** Unicorn reads as many bytes as the register has (2 for FPCW, 4 for MXCSR): on little-endian, the low ones. */
    void write(long uc, X86Register register, long value) {
        memory.setLong(SINGLE, value); // SINGLE + 8 <= SIZE
        UnicornException.check(UnicornLib.uc_reg_write(uc, register.id, single),
                "uc_reg_write(" + register + ", 0x" + Long.toHexString(value) + ")");
    }

    void writeMsr(long uc, int msr, long value) {
        // the struct is UC_X86_MSR_SIZE bytes at SINGLE, exactly to the end of the buffer
        memory.setLong(SINGLE, Integer.toUnsignedLong(msr)); // rid, and zero padding up to the value
        memory.setLong(SINGLE + UnicornConstants.UC_X86_MSR_VALUE_OFFSET, value);
        UnicornException.check(UnicornLib.uc_reg_write(uc, X86Register.MSR.id, single),
                "uc_reg_write(MSR 0x" + Integer.toHexString(msr) + ", 0x" + Long.toHexString(value) + ")");
    }

    /** Frees the native buffer now rather than whenever the collector gets to it. */
    void free() {
        memory.close();
    }
}
