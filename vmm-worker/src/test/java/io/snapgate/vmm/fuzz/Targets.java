package io.snapgate.vmm.fuzz;

import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The addresses and values worth trying under one memory layout: every region's edges (where an access straddles
 * two protections or runs off the mapped memory), what the page tables map past the memory, the null page,
 * non-canonical and kernel-half addresses; and values with one bit set, at sign and width boundaries.
 */
final class Targets {
    private static final long TWO_MIB = 2L << 20;
    private static final long[] VALUES = {0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFFL,
        0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, 0x7FFF_FFFF_FFFFL, 0x8000_0000_0000L, Long.MAX_VALUE,
        Long.MIN_VALUE, -1, -2, -4096};
    private static final long[] OFFSETS = {0, -1, -2, -3, -4, -7, -8, -15, -16, 1, 8, 0x800};

    private final List<Long> addresses = new ArrayList<>();
    private final MemoryLayout layout;

    Targets(MemoryLayout layout) {
        this.layout = layout;
        for (Region r : layout.regions()) {
            addresses.add(r.guestAddress());
            addresses.add(r.end());
        }
        long tabled = (layout.size() + TWO_MIB - 1) & -TWO_MIB;
        addresses.addAll(List.of(0L, 0x1000L, layout.size(), tabled, tabled - 0x1000, 0x8000_0000L,
                0x1_0000_0000L, 0x7FFF_FFFF_F000L, 0x8000_0000_0000L, 0xFFFF_8000_0000_0000L, -0x1000L, -16L));
    }

    /** An address near an interesting one: often just below it, so that an access straddles the edge. */
    long address(SplittableRandom random) {
        long base = addresses.get(random.nextInt(addresses.size()));
        return base + OFFSETS[random.nextInt(OFFSETS.length)];
    }

    /** An address inside writable guest memory, 16-byte aligned with room for 512 bytes (an fxsave area). */
    long scratch(SplittableRandom random) {
        List<Region> writable = layout.writable();
        Region r = writable.get(random.nextInt(writable.size()));
        long room = Math.max(16, r.size() - 512);
        return r.guestAddress() + (random.nextLong(room) & -16);
    }

    /** A 64-bit value: an interesting constant, an address, one bit, or random bits. */
    long value(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> VALUES[random.nextInt(VALUES.length)];
            case 1 -> address(random);
            case 2 -> 1L << random.nextInt(64);
            default -> random.nextLong();
        };
    }
}
