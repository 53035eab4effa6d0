package io.snapgate.vmm.vcpu;

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
}
