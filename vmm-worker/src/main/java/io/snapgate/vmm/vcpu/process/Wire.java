package io.snapgate.vmm.vcpu.process;

import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.vcpu.CpuState;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import io.snapgate.vmm.vcpu.VmExit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway and its emulator process say to each other: an operation code, then its fields, in the
 * channel's native-order buffers. Answers start with {@link #OK} or {@link #FAILED} (and a message).
 */
final class Wire {
    static final int PING = 1;
    static final int MAP = 2;
    static final int REMAP = 3;
    static final int COPY = 5;
    static final int CLOSE_FILE = 6;
    static final int UNMAP = 7;
    static final int VCPU_OPEN = 8;
    static final int VCPU_MAP = 9;
    static final int VCPU_ENTRY_STATE = 10;
    static final int VCPU_ENTER = 11;
    static final int VCPU_RESUME = 12;
    static final int VCPU_CLOSE = 13;
    /** Answers the runs queued among the deferred records ({@link #RUN_RECORD}); no fields of its own. */
    static final int RUN_QUEUED = 14;

    /** In a deferred record, in place of a write's length: the record resets the memory (its strategy first). */
    static final int RESET_RECORD = -1;
    /**
     * In a deferred record, in place of a write's length: the record runs a vCPU (its id in place of the memory's,
     * the entry in place of the address), followed by the port whose exit lets the next record go on.
     */
    static final int RUN_RECORD = -2;

    static final int OK = 0;
    static final int FAILED = 1;

    private static final int IO_OUT = 0;
    private static final int INTERRUPTED = 1;
    private static final int MEMORY_FAULT = 2;
    private static final int INVALID_INSTRUCTION = 3;
    private static final int CPU_EXCEPTION = 4;
    private static final int BACKEND_FAILED = 5;

    private Wire() {
    }

    static void putString(ByteBuffer out, String value) {
        if (value == null) {
            out.putInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.putInt(bytes.length).put(bytes);
    }

    static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[checkedLength(in, length)];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * {@code length} when that many bytes follow in {@code in}. The emulator process runs what guest code made of
     * Unicorn: nothing it sends may make the gateway allocate or read more than the answer holds.
     */
    static int checkedLength(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new IllegalStateException("malformed message over the emulator channel: a length of " + length
                    + " with " + in.remaining() + " bytes left");
        }
        return length;
    }

    static void putLayout(ByteBuffer out, MemoryLayout layout) {
        out.putLong(layout.size()).putInt(layout.regions().size());
        for (Region r : layout.regions()) {
            putString(out, r.name());
            out.putLong(r.guestAddress()).putLong(r.size()).putInt(r.protection().ordinal());
        }
    }

    static MemoryLayout getLayout(ByteBuffer in) {
        long size = in.getLong();
        int count = in.getInt();
        List<Region> regions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            regions.add(new Region(getString(in), in.getLong(), in.getLong(), Protection.values()[in.getInt()]));
        }
        return new MemoryLayout(regions, size);
    }

    static void putSlots(ByteBuffer out, List<MemorySlot> slots) {
        out.putInt(slots.size());
        for (MemorySlot s : slots) {
            putString(out, s.name());
            out.putLong(s.guestAddress()).putLong(s.hostAddress()).putLong(s.size()).putInt(s.protection().ordinal());
        }
    }

    static List<MemorySlot> getSlots(ByteBuffer in) {
        int count = in.getInt();
        List<MemorySlot> slots = new ArrayList<>(); // no capacity from a count the other side chose
        for (int i = 0; i < count; i++) {
            slots.add(new MemorySlot(getString(in), in.getLong(), in.getLong(), in.getLong(),
                    Protection.values()[in.getInt()]));
        }
        return List.copyOf(slots);
    }

    static void putState(ByteBuffer out, CpuState s) {
        out.putLong(s.rsp()).putLong(s.rdi()).putLong(s.rflags()).putLong(s.cr0()).putLong(s.cr3()).putLong(s.cr4())
                .putLong(s.efer());
    }

    static CpuState getState(ByteBuffer in) {
        return new CpuState(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                in.getLong());
    }

    static void putExit(ByteBuffer out, VmExit exit) {
        if (exit instanceof VmExit.IoOut io) {
            out.putInt(IO_OUT).putInt(io.port()).putInt(io.value());
        } else if (exit instanceof VmExit.Interrupted) {
            out.putInt(INTERRUPTED);
        } else if (exit instanceof VmExit.MemoryFault f) {
            out.putInt(MEMORY_FAULT).putLong(f.address()).putInt(f.access().ordinal()).putInt(f.mapped() ? 1 : 0)
                    .putLong(f.rip());
        } else if (exit instanceof VmExit.InvalidInstruction i) {
            out.putInt(INVALID_INSTRUCTION).putLong(i.rip());
        } else if (exit instanceof VmExit.CpuException e) {
            out.putInt(CPU_EXCEPTION).putInt(e.vector()).putLong(e.rip()).putLong(e.faultAddress());
        } else if (exit instanceof VmExit.Failed f) {
            out.putInt(BACKEND_FAILED);
            putString(out, f.reason());
        } else {
            throw new IllegalArgumentException("not an exit a Unicorn vCPU reports: " + exit);
        }
    }

    private static final VmExit INTERRUPTED_EXIT = new VmExit.Interrupted();

    static VmExit getExit(ByteBuffer in) {
        return switch (in.getInt()) {
            case IO_OUT -> new VmExit.IoOut(in.getInt(), in.getInt());
            case INTERRUPTED -> INTERRUPTED_EXIT;
            case MEMORY_FAULT -> new VmExit.MemoryFault(in.getLong(), VmExit.Access.values()[in.getInt()],
                    in.getInt() != 0, in.getLong());
            case INVALID_INSTRUCTION -> new VmExit.InvalidInstruction(in.getLong());
            case CPU_EXCEPTION -> new VmExit.CpuException(in.getInt(), in.getLong(), in.getLong());
            case BACKEND_FAILED -> new VmExit.Failed(getString(in));
            default -> throw new IllegalStateException("the emulator process sent an unknown exit kind");
        };
    }
}
