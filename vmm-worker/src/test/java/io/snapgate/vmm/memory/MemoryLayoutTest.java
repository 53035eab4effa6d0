package io.snapgate.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.vcpu.Protection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout matches docs/abi.md and refuses overlapping or out-of-range regions. */
class MemoryLayoutTest {
    private static final List<Region> IMAGE = List.of(
            new Region("text", 0x100000, 0x3000, Protection.READ_EXECUTE),
            new Region("data", 0x103000, 0x1000, Protection.READ_WRITE));

    @Test
    void plansTheDocumentedLayout() {
        MemoryLayout layout = MemoryLayout.plan(IMAGE, LayoutSizes.DEFAULT);
        assertThat(layout.region("control").guestAddress()).isEqualTo(0x1000);
        assertThat(layout.region("page-tables").guestAddress()).isEqualTo(0x2000);
        assertThat(layout.region("page-tables").size()).isEqualTo(3 * 4096);
        Region heap = layout.region("heap");
        Region stack = layout.region("stack");
        assertThat(heap.guestAddress()).isEqualTo(0x104000);
        assertThat(stack.guestAddress()).as("one unmapped guard page below the stack").isEqualTo(heap.end() + 4096);
        assertThat(layout.region("input").guestAddress()).isEqualTo(stack.end());
        assertThat(layout.region("output").guestAddress()).isEqualTo(layout.region("input").end());
        assertThat(layout.size()).isEqualTo(layout.region("output").end());
        assertThat(layout.stackTop() % 16).isZero();
        assertThat(layout.code()).extracting(Region::name).containsExactly("text");
        assertThat(layout.writable()).extracting(Region::name)
                .containsExactly("control", "data", "heap", "stack", "input", "output");
    }

    @Test
    void refusesOverlapsAndTheNullPage() {
        List<Region> overlapping = List.of(new Region("a", 0x100000, 0x2000, Protection.READ_EXECUTE),
                new Region("b", 0x101000, 0x1000, Protection.READ_WRITE));
        assertThatThrownBy(() -> MemoryLayout.plan(overlapping, LayoutSizes.DEFAULT))
                .hasMessageContaining("region b at 0x101000 overlaps a");
        MemoryLayout ok = MemoryLayout.plan(IMAGE, LayoutSizes.DEFAULT);
        List<Region> withNull = new java.util.ArrayList<>(ok.regions());
        withNull.add(new Region("null", 0, 4096, Protection.READ_ONLY));
        assertThatThrownBy(() -> new MemoryLayout(withNull, ok.size()))
                .hasMessageContaining("region null at 0x0 overlaps the null guard page");
        assertThatThrownBy(() -> new MemoryLayout(ok.regions(), ok.size() - 4096))
                .hasMessageContaining("past the memory size");
    }

    @Test
    void refusesSizesThatAreNotPages() {
        assertThatThrownBy(() -> new LayoutSizes(1000, 4096, 4096, 4096))
                .hasMessageContaining("heap size 1000 must be a positive multiple of 4096");
    }

    @Test
    void pageTablesGrowWithMemory() {
        assertThat(PageTables.size(1L << 20)).isEqualTo(3 * 4096);
        assertThat(PageTables.size(3L << 30)).isEqualTo(5 * 4096);
        assertThat(PageTables.size(16L << 30)).isEqualTo(18 * 4096);
    }
}
