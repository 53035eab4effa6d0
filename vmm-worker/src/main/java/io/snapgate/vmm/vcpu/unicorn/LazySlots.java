package io.snapgate.vmm.vcpu.unicorn;

import io.snapgate.vmm.vcpu.MemorySlot;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Large data slots, mapped into Unicorn a chunk at a time on the guest's first read or write there. Unicorn's
 * {@code uc_mem_unmap} flushes its soft TLB page by page (3.3 ms for 256 MiB here), so a sandbox with a big heap
 * made every release of its vCPU cost that much, however little the guest touched; mapped by chunks, a release
 * costs what the guest used. A chunk gets its slot's protection; addresses outside every slot stay unmapped and
 * fault as before. Used on the vCPU's thread only ({@link FaultHooks} calls it inside {@code uc_emu_start}).
 */
final class LazySlots {
    /** Slots from this size on are mapped by chunks; the default layout's (about 2 MiB) are mapped whole. */
    static final long THRESHOLD = 4L << 20;
    static final long CHUNK = 1L << 20;

    private final List<MemorySlot> slots = new ArrayList<>();
    private final List<BitSet> mapped = new ArrayList<>();

    /** Takes {@code slot} when it is large enough to map by chunks; false when it should be mapped whole. */
    boolean take(MemorySlot slot) {
        if (slot.size() < THRESHOLD) {
            return false;
        }
        slots.add(slot);
        mapped.add(new BitSet());
        return true;
    }

    /**
     * Maps the chunk of a lazy slot that holds {@code address}; false when no lazy slot holds it (a real fault)
     * or Unicorn refused (the access then faults as unmapped). Never throws: it runs inside a Unicorn hook.
     */
    boolean mapChunkAt(long uc, long address) {
        for (int i = 0; i < slots.size(); i++) {
            MemorySlot slot = slots.get(i);
            long offset = address - slot.guestAddress();
            if (Long.compareUnsigned(offset, slot.size()) < 0) {
                int chunk = (int) (offset / CHUNK);
                if (mapped.get(i).get(chunk)) {
                    return false; // mapped already: the fault is something else
                }
                if (UnicornEngine.mapSlot(uc, chunk(slot, chunk)) != UnicornConstants.UC_ERR_OK) {
                    return false;
                }
                mapped.get(i).set(chunk);
                return true;
            }
        }
        return false;
    }

    /** Unmaps every chunk mapped so far and forgets the slots. */
    void unmapAll(UnicornEngine engine) {
        for (int i = 0; i < slots.size(); i++) {
            BitSet chunks = mapped.get(i);
            for (int c = chunks.nextSetBit(0); c >= 0; c = chunks.nextSetBit(c + 1)) {
                engine.unmap(chunk(slots.get(i), c));
            }
        }
        slots.clear();
        mapped.clear();
    }

    private static MemorySlot chunk(MemorySlot slot, int index) {
        long offset = index * CHUNK;
        return new MemorySlot(slot.name() + "#" + index, slot.guestAddress() + offset, slot.hostAddress() + offset,
                Math.min(CHUNK, slot.size() - offset), slot.protection());
    }
}
