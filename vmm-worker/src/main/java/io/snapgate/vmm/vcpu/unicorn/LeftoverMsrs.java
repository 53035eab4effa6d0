package io.snapgate.vmm.vcpu.unicorn;

import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_X86_MSR_SIZE;
import static io.snapgate.vmm.vcpu.unicorn.UnicornConstants.UC_X86_MSR_VALUE_OFFSET;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.vmm.vcpu.MemorySlot;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The MSRs a guest can write on Unicorn 2.0.1 that a register context does not hold (QEMU keeps them past the
 * CPU state's reset fields, which is all {@code uc_context_save} copies): the MTRRs and the machine-check banks.
 * {@code uc_context_restore} leaves them as the last guest wrote them, a channel from one call, or tenant, to the
 * next. {@link #reset} writes back the values the engine had when new; the engine does it before every entry while
 * it holds code that can write MSRs, and before other code replaces such code.
 *
 * <p>Whether code can write MSRs is decided from its bytes: WRMSR is {@code 0F 30}, and W^X means no other bytes
 * ever execute, so code with neither that pair nor a page ending in {@code 0F} and one starting with {@code 30}
 * (which the guest's own page tables could put side by side) never runs WRMSR and costs nothing here.
 */
final class LeftoverMsrs implements AutoCloseable {
    /** MTRRs: the variable pairs, the fixed ranges, the default type; MCG_STATUS, MCG_CTL; banks 0-9. */
    static final int[] MSRS = Stream.of(IntStream.rangeClosed(0x200, 0x20F), IntStream.of(0x250, 0x258, 0x259),
            IntStream.rangeClosed(0x268, 0x26F), IntStream.of(0x2FF, 0x17A, 0x17B), IntStream.rangeClosed(0x400, 0x427))
            .flatMapToInt(msrs -> msrs).toArray();
    private static final byte WRMSR_FIRST = 0x0F;
    private static final byte WRMSR_SECOND = 0x30;
    private static final int PAGE = 4096;

    private final Memory ids = new Memory((long) Integer.BYTES * MSRS.length);
    private final Memory pointers = new Memory((long) Long.BYTES * MSRS.length);
    private final Memory values = new Memory((long) UC_X86_MSR_SIZE * MSRS.length);

    /** Reads the values of engine {@code uc}, which must be new. */
    LeftoverMsrs(long uc) {
        values.clear();
        for (int i = 0; i < MSRS.length; i++) {
            long value = Pointer.nativeValue(values) + (long) UC_X86_MSR_SIZE * i;
            ids.setInt((long) Integer.BYTES * i, X86Register.MSR.id);
            pointers.setLong((long) Long.BYTES * i, value);
            values.setInt((long) UC_X86_MSR_SIZE * i, MSRS[i]);
        }
        UnicornException.check(UnicornLib.uc_reg_read_batch(uc, Pointer.nativeValue(ids), Pointer.nativeValue(pointers),
                MSRS.length), "uc_reg_read_batch(MTRR and machine-check MSRs)");
    }

    /** Writes them all back in one call; returns the uc_err. */
    int reset(long uc) {
        return UnicornLib.uc_reg_write_batch(uc, Pointer.nativeValue(ids), Pointer.nativeValue(pointers),
                MSRS.length);
    }

    /** Whether the code in {@code slots} can contain a WRMSR (see the class comment). */
    static boolean canWrite(List<MemorySlot> slots) {
        boolean pageEndsWithFirst = false;
        boolean pageStartsWithSecond = false;
        for (MemorySlot slot : slots) {
            byte[] code = new Pointer(slot.hostAddress()).getByteArray(0, (int) slot.size());
            for (int i = 0; i + 1 < code.length; i++) {
                if (code[i] == WRMSR_FIRST && code[i + 1] == WRMSR_SECOND) {
                    return true;
                }
            }
            for (int page = 0; page < code.length; page += PAGE) {
                pageStartsWithSecond |= code[page] == WRMSR_SECOND;
                pageEndsWithFirst |= code[page + PAGE - 1] == WRMSR_FIRST;
            }
        }
        return pageEndsWithFirst && pageStartsWithSecond;
    }

    @Override
    public void close() {
        ids.close();
        pointers.close();
        values.close();
    }
}
