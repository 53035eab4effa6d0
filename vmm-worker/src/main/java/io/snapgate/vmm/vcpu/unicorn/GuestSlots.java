package io.snapgate.vmm.vcpu.unicorn;

import com.sun.jna.Pointer;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import java.util.ArrayList;
import java.util.List;

/** The memory slots a vCPU has mapped: for reading guest bytes straight from host memory, and where code can be. */
final class GuestSlots {
    static final GuestSlots NONE = new GuestSlots(List.of());

    /** A guest physical range [begin, end) inside one slot. */
    record Range(long begin, long end) {
    }

    private final MemorySlot[] slots;
    private final Pointer[] hosts;

    GuestSlots(List<MemorySlot> slots) {
        this.slots = slots.toArray(new MemorySlot[0]);
        this.hosts = new Pointer[this.slots.length];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = new Pointer(this.slots[i].hostAddress());
        }
    }

    List<MemorySlot> all() {
        return List.of(slots);
    }

    /** The byte at {@code guestAddress} (0-255), or -1 where no slot maps it. */
    int byteAt(long guestAddress) {
        for (int i = 0; i < slots.length; i++) {
            long offset = guestAddress - slots[i].guestAddress();
            // unsigned offset < size: at or above the slot's start and below its end, so inside its host range
            if (Long.compareUnsigned(offset, slots[i].size()) < 0) {
                return hosts[i].getByte(offset) & 0xFF;
            }
        }
        return -1;
    }

    /**
     * The parts of [begin, end) that executable slots map, one range per slot. Only read+execute slots can
     * hold translated code (Unicorn never fetches from the others). One range per slot because Unicorn turns
     * only a range's first address into a host RAM offset, so a range must not cross into another slot's RAM.
     */
    List<Range> codeRanges(long begin, long end) {
        List<Range> ranges = new ArrayList<>();
        for (MemorySlot slot : slots) {
            long from = Math.max(begin, slot.guestAddress());
            long to = Math.min(end, slot.guestEnd());
            if (slot.protection() == Protection.READ_EXECUTE && from < to) {
                ranges.add(new Range(from, to));
            }
        }
        return ranges;
    }

    /** Every executable slot whole. */
    List<Range> codeRanges() {
        return codeRanges(0, Long.MAX_VALUE);
    }
}
