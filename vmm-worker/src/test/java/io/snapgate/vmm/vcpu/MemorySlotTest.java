package io.snapgate.vmm.vcpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySlotTest {
    private static final long HOST = 0x7f00_0000_0000L;

    private static MemorySlot slot(String name, long guest, long size, Protection protection) {
        return new MemorySlot(name, guest, HOST + guest, size, protection);
    }

    @Test
    void neighboursWithTheSameProtectionBecomeOneSlot() {
        List<MemorySlot> merged = MemorySlot.coalesce(List.of(
                slot("data", 0x10_0000, 0x1000, Protection.READ_WRITE),
                slot("heap", 0x10_1000, 0x4000, Protection.READ_WRITE),
                slot("stack", 0x10_6000, 0x2000, Protection.READ_WRITE), // after a one-page guard gap
                slot("input", 0x10_8000, 0x1000, Protection.READ_WRITE),
                slot("tables", 0x10_9000, 0x1000, Protection.READ_ONLY)));

        assertThat(merged).containsExactly(
                new MemorySlot("data+heap", 0x10_0000, HOST + 0x10_0000, 0x5000, Protection.READ_WRITE),
                new MemorySlot("stack+input", 0x10_6000, HOST + 0x10_6000, 0x3000, Protection.READ_WRITE),
                slot("tables", 0x10_9000, 0x1000, Protection.READ_ONLY));
    }

    @Test
    void slotsAdjacentInTheGuestButNotInHostMemoryStaySeparate() {
        MemorySlot first = slot("a", 0x1000, 0x1000, Protection.READ_WRITE);
        MemorySlot elsewhere = new MemorySlot("b", 0x2000, HOST + 0x10_0000, 0x1000, Protection.READ_WRITE);

        assertThat(MemorySlot.coalesce(List.of(first, elsewhere))).containsExactly(first, elsewhere);
    }
}
