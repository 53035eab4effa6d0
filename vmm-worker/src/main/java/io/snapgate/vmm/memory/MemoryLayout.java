package io.snapgate.vmm.memory;

import io.snapgate.vmm.abi.ControlPage;
import io.snapgate.vmm.vcpu.Protection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where everything lives in guest memory (docs/abi.md, "Memory layout"): a null guard page, the control
 * page, the page tables, the image, then heap, a stack guard page, stack, input and output. The layout is
 * the host's own record; nothing the guest writes changes it.
 */
public record MemoryLayout(List<Region> regions, long size) {
    public static final long PAGE_SIZE = 4096;
    public static final long PAGE_TABLES = 0x2000;
    /** The lowest address a guest image may use (the linker script's base). */
    public static final long IMAGE_BASE = 0x10_0000;
    /** Guest memory is at most 16 GiB, like Hyperlight's. */
    public static final long MAX_SIZE = 16L << 30;

    public static final String CONTROL = "control";
    public static final String PAGE_TABLE = "page-tables";
    public static final String HEAP = "heap";
    public static final String STACK = "stack";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    public MemoryLayout {
        regions = List.copyOf(regions);
        validate(regions, size);
    }

    /**
     * Lays out a guest whose image occupies {@code image} (page-aligned regions at or above {@link #IMAGE_BASE},
     * sorted, not overlapping), followed by regions of the given sizes.
     */
    public static MemoryLayout plan(List<Region> image, LayoutSizes sizes) {
        long imageEnd = image.isEmpty() ? IMAGE_BASE : image.get(image.size() - 1).end();
        long heap = align(Math.max(imageEnd, IMAGE_BASE));
        long stack = heap + sizes.heap() + PAGE_SIZE;
        long input = stack + sizes.stack();
        long output = input + sizes.input();
        long size = output + sizes.output();
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("guest memory of " + size + " bytes exceeds the limit of " + MAX_SIZE);
        }
        List<Region> regions = new ArrayList<>();
        regions.add(new Region(CONTROL, ControlPage.ADDRESS, PAGE_SIZE, Protection.READ_WRITE));
        regions.add(new Region(PAGE_TABLE, PAGE_TABLES, PageTables.size(size), Protection.READ_ONLY));
        regions.addAll(image);
        regions.add(new Region(HEAP, heap, sizes.heap(), Protection.READ_WRITE));
        regions.add(new Region(STACK, stack, sizes.stack(), Protection.READ_WRITE));
        regions.add(new Region(INPUT, input, sizes.input(), Protection.READ_WRITE));
        regions.add(new Region(OUTPUT, output, sizes.output(), Protection.READ_WRITE));
        return new MemoryLayout(regions, size);
    }

    private static void validate(List<Region> regions, long size) {
        if (size <= 0 || size % PAGE_SIZE != 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("memory size " + size + " must be a positive multiple of 4096 up to "
                    + MAX_SIZE);
        }
        List<Region> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparingLong(Region::guestAddress));
        long previousEnd = PAGE_SIZE; // page 0 is the null guard: nothing may map it
        String previous = "the null guard page";
        for (Region r : sorted) {
            if (r.guestAddress() < previousEnd) {
                throw new IllegalArgumentException(String.format("region %s at 0x%x overlaps %s",
                        r.name(), r.guestAddress(), previous));
            }
            if (r.end() > size) {
                throw new IllegalArgumentException(String.format("region %s ends at 0x%x, past the memory size 0x%x",
                        r.name(), r.end(), size));
            }
            previousEnd = r.end();
            previous = r.name();
        }
        for (String name : List.of(CONTROL, PAGE_TABLE, HEAP, STACK, INPUT, OUTPUT)) {
            long count = regions.stream().filter(r -> r.name().equals(name)).count();
            if (count != 1) {
                throw new IllegalArgumentException("layout has " + count + " regions named " + name + ", expected 1");
            }
        }
        if (region(regions, CONTROL).guestAddress() != ControlPage.ADDRESS
                || region(regions, PAGE_TABLE).guestAddress() != PAGE_TABLES) {
            throw new IllegalArgumentException("control page and page tables must sit at their ABI addresses");
        }
    }

    public Region region(String name) {
        return region(regions, name);
    }

    private static Region region(List<Region> regions, String name) {
        for (Region r : regions) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("layout has no region " + name);
    }

    /** The regions holding code, whose translations a backend may cache. */
    public List<Region> code() {
        return regions.stream().filter(r -> r.protection() == Protection.READ_EXECUTE).toList();
    }

    public List<Region> writable() {
        return regions.stream().filter(Region::writable).toList();
    }

    /** Bytes of the writable regions: the most a private mapping of this layout can come to hold of its own. */
    public long writableBytes() {
        return regions.stream().filter(Region::writable).mapToLong(Region::size).sum();
    }

    public long stackTop() {
        return region(STACK).end();
    }

    private static long align(long address) {
        return (address + PAGE_SIZE - 1) & -PAGE_SIZE;
    }
}
