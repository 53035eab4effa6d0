package io.snapgate.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Pointer;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.sys.SystemCallException;
import io.snapgate.vmm.vcpu.Protection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's scan and the entry-per-page read find exactly the pages written in the writable regions of a real
 * private mapping, whatever the pattern of writes: a page either misses would leak one call's data to the next.
 */
class PrivatePagesTest {
    private static final long PAGE = MemoryLayout.PAGE_SIZE;
    private static final int ENOTTY = 25;
    private static final int EINVAL = 22;
    /** An image with a data region that ends where the heap begins: two writable regions back to back. */
    private static final MemoryLayout LAYOUT = MemoryLayout.plan(List.of(
            new Region("text", 0x100000, 0x1000, Protection.READ_EXECUTE),
            new Region("data", 0x101000, 0x3000, Protection.READ_WRITE)), LayoutSizes.DEFAULT);
    private static final List<Region> WRITABLE = LAYOUT.writable();

    private MemoryFile file;
    private MappedGuestMemory memory;
    private long base;

    @BeforeEach
    void map() {
        file = MemoryFile.anonymous("private-pages", LAYOUT.size());
        memory = MappedGuestMemory.map(file, LAYOUT, false);
        base = Pointer.nativeValue(memory.pointer());
    }

    @AfterEach
    void unmap() {
        memory.close();
        file.release();
    }

    /**
     * The probe's choice against what the kernel answers a real scan of this mapping, whatever its version says (a
     * kernel may be built without the ioctl, or have it backported): the scan where it answers, else the read,
     * which only a kernel that refuses the ioctl itself (ENOTTY: no such ioctl; EINVAL: not this one) may get.
     */
    @Test
    void theScanIsUsedWhereTheKernelAnswersIt() {
        write(LAYOUT.region(MemoryLayout.HEAP).guestAddress());
        boolean answered;
        try {
            new PagemapScan(base, WRITABLE).forEach((from, to) -> { });
            answered = true;
        } catch (SystemCallException e) {
            assertThat(e.errno()).as("the kernel's refusal of PAGEMAP_SCAN: %s", e.getMessage())
                    .isIn(ENOTTY, EINVAL);
            answered = false;
        }
        assertThat(PagemapScan.available()).as("the probe says the kernel has PAGEMAP_SCAN").isEqualTo(answered);
        assertThat(PrivatePages.of(base, WRITABLE)).isInstanceOf(answered ? PagemapScan.class : PagemapRead.class);
    }

    @Test
    void pagesOnlyReadAreNotFound() {
        for (long a = 0; a < LAYOUT.size(); a += PAGE) {
            memory.readLong(a);
        }
        assertFound(List.of());
    }

    @Test
    void onePageWritten() {
        long page = LAYOUT.region(MemoryLayout.HEAP).guestAddress() + 5 * PAGE;
        write(page);
        assertFound(List.of(page));
    }

    @Test
    void scatteredPages() {
        assertFoundAfterWriting(a -> a % (37 * PAGE) == 3 * PAGE);
    }

    @Test
    void everyPageOfTheMemory() {
        assertFoundAfterWriting(a -> true);
    }

    /** Pages on both sides of every writable region's ends: runs the kernel reports across them are cut there. */
    @Test
    void pagesStraddlingTheRegionsEnds() {
        assertFoundAfterWriting(a -> WRITABLE.stream().anyMatch(r -> Math.abs(a - r.guestAddress()) <= PAGE
                || Math.abs(a - r.end()) <= PAGE));
    }

    /** Every other page: more runs than one scan reports, so the scan goes on from where the kernel stopped. */
    @Test
    void moreRunsThanOneScanReports() {
        assumeTrue(PagemapScan.available(), "this kernel has no PAGEMAP_SCAN");
        assertFoundAfterWriting(a -> a / PAGE % 2 == 0);
        int[] runs = {0};
        new PagemapScan(base, WRITABLE).forEach((from, to) -> runs[0]++);
        assertThat(runs[0]).isGreaterThan(2 * PagemapScan.RUNS);
    }

    @Test
    void pagesDroppedAreNotFound() {
        long heap = LAYOUT.region(MemoryLayout.HEAP).guestAddress();
        for (int i = 0; i < 10; i++) {
            write(heap + i * PAGE);
        }
        Libc.adviseDontNeed(base + heap + 2 * PAGE, 3 * PAGE);
        assertFound(List.of(heap, heap + PAGE, heap + 5 * PAGE, heap + 6 * PAGE, heap + 7 * PAGE, heap + 8 * PAGE,
                heap + 9 * PAGE));
    }

    /** A copy-back reset keeps the pages it restores (they stay private); a reset by dropping them leaves none. */
    @Test
    void afterAReset() {
        List<Long> written = assertFoundAfterWriting(a -> a % (5 * PAGE) == 0);
        memory.reset(ResetStrategy.COPY_BACK);
        assertFound(written);
        write(LAYOUT.region(MemoryLayout.STACK).guestAddress() + PAGE);
        memory.reset(ResetStrategy.DROP);
        assertFound(List.of());
    }

    /** Writes every page {@code written} picks, and checks both ways find those of them in writable regions. */
    private List<Long> assertFoundAfterWriting(LongPredicate written) {
        List<Long> expected = new ArrayList<>();
        for (long a = 0; a < LAYOUT.size(); a += PAGE) {
            if (written.test(a)) {
                write(a);
                if (inWritableRegion(a)) {
                    expected.add(a);
                }
            }
        }
        assertFound(expected);
        return expected;
    }

    private void assertFound(List<Long> expected) {
        assertThat(found(new PagemapRead(base, WRITABLE))).as("read per page").containsExactlyElementsOf(expected);
        if (PagemapScan.available()) {
            assertThat(found(new PagemapScan(base, WRITABLE))).as("PAGEMAP_SCAN").containsExactlyElementsOf(expected);
        }
    }

    /** The pages {@code pages} finds, in address order, each as often as it is reported. */
    private static List<Long> found(PrivatePages pages) {
        List<Long> found = new ArrayList<>();
        pages.forEach((from, to) -> {
            assertThat(from).as("run start").isLessThan(to);
            assertThat(WRITABLE).as("a writable region holding [0x%x, 0x%x)", from, to)
                    .anyMatch(r -> r.contains(from, to - from));
            for (long a = from; a < to; a += PAGE) {
                found.add(a);
            }
        });
        found.sort(null);
        return found;
    }

    /** A write through the host's mapping, to any page (regions do not stop the host). */
    private void write(long guestAddress) {
        memory.pointer().setByte(guestAddress + 7, (byte) 1);
    }

    private static boolean inWritableRegion(long address) {
        return WRITABLE.stream().anyMatch(r -> r.contains(address, PAGE));
    }
}
