package io.snapgate.vmm.memory;

import io.snapgate.vmm.vcpu.Protection;

/** A named, page-aligned range of guest memory and what the guest may do there. Gaps between regions are unmapped. */
public record Region(String name, long guestAddress, long size, Protection protection) {
    public Region {
        if (((guestAddress | size) & (MemoryLayout.PAGE_SIZE - 1)) != 0 || size <= 0) {
            throw new IllegalArgumentException(String.format("region %s at 0x%x size 0x%x is not page aligned",
                    name, guestAddress, size));
        }
    }

    public long end() {
        return guestAddress + size;
    }

    public boolean contains(long address, long length) {
        return address >= guestAddress && length >= 0 && length <= end() - address;
    }

    public boolean writable() {
        return protection == Protection.READ_WRITE;
    }
}
