package io.snapgate.vmm.abi;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.vcpu.CpuState;
import org.junit.jupiter.api.Test;

/**
 * Pins the guest ABI (docs/abi.md). Guests built against the SDK depend on every value here: if one of
 * these fails, do not just update the expected value. Change the ABI version, the C SDK and the docs
 * together, and think about the snapshots already on disk.
 */
class AbiTripwireTest {
    private static final String DO_NOT_JUST_UPDATE = "ABI tripwire: do not just update the expected value";

    @Test
    void versionAndControlPage() {
        assertThat(ControlPage.ABI_VERSION).as(DO_NOT_JUST_UPDATE).isEqualTo(1);
        assertThat(io.snapgate.store.config.ConfigValidator.ABI_VERSION)
                .as("the store checks snapshots against this ABI version").isEqualTo(ControlPage.ABI_VERSION);
        assertThat(ControlPage.ADDRESS).as(DO_NOT_JUST_UPDATE).isEqualTo(0x1000);
        assertThat(ControlPage.MAGIC).as(DO_NOT_JUST_UPDATE).isEqualTo(0x4554414750414E53L);
        assertThat(new int[] {ControlPage.MAGIC_OFFSET, ControlPage.ABI_VERSION_OFFSET, ControlPage.HEAP_BASE_OFFSET,
            ControlPage.HEAP_SIZE_OFFSET, ControlPage.INPUT_BASE_OFFSET, ControlPage.INPUT_SIZE_OFFSET,
            ControlPage.OUTPUT_BASE_OFFSET, ControlPage.OUTPUT_SIZE_OFFSET, ControlPage.STACK_TOP_OFFSET,
            ControlPage.RANDOM_STATE_OFFSET}).as(DO_NOT_JUST_UPDATE)
                .containsExactly(0x00, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x40, 0x48);
    }

    @Test
    void ports() {
        assertThat(new int[] {Ports.DONE, Ports.HOST_CALL, Ports.ABORT, Ports.LOG}).as(DO_NOT_JUST_UPDATE)
                .containsExactly(0x100, 0x101, 0x102, 0x103);
    }

    @Test
    void typeAndErrorCodes() {
        for (ValueType t : ValueType.values()) {
            assertThat(t.code()).as(DO_NOT_JUST_UPDATE + " (" + t + ")").isEqualTo(t.ordinal());
        }
        assertThat(ValueType.values()).extracting(ValueType::toString).as(DO_NOT_JUST_UPDATE)
                .containsExactly("void", "i32", "u32", "i64", "u64", "f32", "f64", "bool", "string", "bytes", "json");
        assertThat(GuestErrorCode.values()).extracting(GuestErrorCode::code).as(DO_NOT_JUST_UPDATE)
                .containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(GuestErrorCode.FIRST_USER_CODE).as(DO_NOT_JUST_UPDATE).isEqualTo(64);
    }

    @Test
    void layoutAndEntryState() {
        assertThat(MemoryLayout.PAGE_TABLES).as(DO_NOT_JUST_UPDATE).isEqualTo(0x2000);
        assertThat(MemoryLayout.IMAGE_BASE).as(DO_NOT_JUST_UPDATE).isEqualTo(0x100000);
        assertThat(CpuState.CR0).as(DO_NOT_JUST_UPDATE).isEqualTo(0x80010033L);
        assertThat(CpuState.CR4).as(DO_NOT_JUST_UPDATE).isEqualTo(0x620L);
        assertThat(CpuState.EFER).as(DO_NOT_JUST_UPDATE).isEqualTo(0x500L);
    }
}
