package io.snapgate.vmm.abi;

/** Where the control page is and what each field holds (see docs/abi.md, "Control page"). */
public final class ControlPage {
    public static final long ADDRESS = 0x1000;
    /** The bytes {@code SNAPGATE}, little-endian. */
    public static final long MAGIC = 0x4554_4147_5041_4E53L;
    public static final int ABI_VERSION = 1;

    public static final int MAGIC_OFFSET = 0x00;
    public static final int ABI_VERSION_OFFSET = 0x08;
    public static final int HEAP_BASE_OFFSET = 0x10;
    public static final int HEAP_SIZE_OFFSET = 0x18;
    public static final int INPUT_BASE_OFFSET = 0x20;
    public static final int INPUT_SIZE_OFFSET = 0x28;
    public static final int OUTPUT_BASE_OFFSET = 0x30;
    public static final int OUTPUT_SIZE_OFFSET = 0x38;
    public static final int STACK_TOP_OFFSET = 0x40;
    public static final int RANDOM_STATE_OFFSET = 0x48;

    private ControlPage() {
    }
}
