package io.snapgate.vmm.memory;

/** The sizes a sandbox chooses for the regions that follow the guest image. Each is a multiple of 4 KiB. */
public record LayoutSizes(long heap, long stack, long input, long output) {
    public static final LayoutSizes DEFAULT = new LayoutSizes(1 << 20, 128 << 10, 64 << 10, 64 << 10);

    public LayoutSizes {
        check("heap", heap);
        check("stack", stack);
        check("input", input);
        check("output", output);
    }

    private static void check(String name, long size) {
        if (size < MemoryLayout.PAGE_SIZE || size % MemoryLayout.PAGE_SIZE != 0 || size > MemoryLayout.MAX_SIZE) {
            throw new IllegalArgumentException(name + " size " + size + " must be a positive multiple of 4096 up to "
                    + MemoryLayout.MAX_SIZE);
        }
    }
}
