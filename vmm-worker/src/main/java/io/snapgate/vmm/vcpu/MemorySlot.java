package io.snapgate.vmm.vcpu;

import java.util.ArrayList;
import java.util.List;

/**
 * A range of guest physical memory backed by host memory at {@code hostAddress}.
 * Addresses and size are 4 KiB aligned; the host range stays mapped while the slot is in use.
 */
public record MemorySlot(String name, long guestAddress, long hostAddress, long size, Protection protection) {
    public MemorySlot {
        if (((guestAddress | hostAddress | size) & 0xFFF) != 0 || size <= 0) {
            throw new IllegalArgumentException("memory slot " + name + " is not page aligned: guest=0x"
                    + Long.toHexString(guestAddress) + " size=0x" + Long.toHexString(size));
        }
    }

    public long guestEnd() {
        return guestAddress + size;
    }

    /**
     * The same memory in as few slots as possible: neighbours that touch in guest and host memory and have the
     * same protection become one. A backend pays per slot it maps (Unicorn ~6 us each; KVM has a slot limit),
     * and a sandbox's writable regions (image data, heap, stack, buffers) mostly sit back to back. Gaps, such
     * as the stack's guard page, stay unmapped. {@code slots} must be sorted by guest address.
     */
    public static List<MemorySlot> coalesce(List<MemorySlot> slots) {
        List<MemorySlot> merged = new ArrayList<>(slots.size());
        for (MemorySlot slot : slots) {
            MemorySlot last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.guestEnd() == slot.guestAddress()
                    && last.hostAddress() + last.size() == slot.hostAddress()
                    && last.protection() == slot.protection()) {
                merged.set(merged.size() - 1, new MemorySlot(last.name() + "+" + slot.name(), last.guestAddress(),
                        last.hostAddress(), last.size() + slot.size(), last.protection()));
            } else {
                merged.add(slot);
            }
        }
        return List.copyOf(merged);
    }
}
