package io.snapgate.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.store.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.snapgate.vmm.vcpu.Protection;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private mappings of one memory file: writes stay private, resets bring back the file, the file never changes. */
class GuestMemoryTest {
    private static final MemoryLayout LAYOUT = MemoryLayout.plan(
            List.of(new Region("text", 0x100000, 0x1000, Protection.READ_EXECUTE)), LayoutSizes.DEFAULT);

    private static MemoryFile imageWithPattern() {
        MemoryFile file = MemoryFile.anonymous("test-image", LAYOUT.size());
        try (GuestMemory writer = GuestMemory.map(file, LAYOUT, true)) {
            Pointer p = writer.pointer();
            for (long a = 0; a < LAYOUT.size(); a += MemoryLayout.PAGE_SIZE) {
                p.setLong(a, a ^ 0x5A5A);
            }
        }
        return file;
    }

    @ParameterizedTest
    @EnumSource(ResetStrategy.class)
    void resetBringsBackTheFileAndTheFileNeverChanges(ResetStrategy strategy) {
        assertResetBringsBackTheFile(strategy, PrivatePages::of);
    }

    /** The copy-back reset on a kernel without PAGEMAP_SCAN: the pages it restores found by reading the pagemap. */
    @Test
    void copyBackFindingPagesByReadingThePagemapBringsBackTheFile() {
        assertResetBringsBackTheFile(ResetStrategy.COPY_BACK, PagemapRead::new);
    }

    private static void assertResetBringsBackTheFile(ResetStrategy strategy, PrivatePages.Factory finder) {
        MemoryFile file = imageWithPattern();
        long heap = LAYOUT.region(MemoryLayout.HEAP).guestAddress();
        try (GuestMemory a = MappedGuestMemory.map(file, LAYOUT, false, finder);
                GuestMemory b = GuestMemory.map(file, LAYOUT, false)) {
            for (int round = 0; round < 3; round++) {
                for (Region r : LAYOUT.writable()) { // every page, then every second, then every third
                    for (long p = r.guestAddress(); p < r.end(); p += (round + 1) * MemoryLayout.PAGE_SIZE) {
                        a.writeLong(p + 8 * round, ~p);
                    }
                }
                assertThat(b.readLong(heap)).as("another mapping of the same file").isEqualTo(heap ^ 0x5A5A);
                a.reset(strategy);
                assertThat(Arrays.mismatch(a.read(0, (int) LAYOUT.size()), b.read(0, (int) LAYOUT.size())))
                        .as("the first byte that differs from the file after round %d", round).isEqualTo(-1);
                assertThat(a.readLong(heap)).isEqualTo(heap ^ 0x5A5A);
            }
        }
        try (GuestMemory check = GuestMemory.map(file, LAYOUT, false)) {
            assertThat(check.readLong(heap)).as("the file itself").isEqualTo(heap ^ 0x5A5A);
        } finally {
            file.release();
        }
    }

    /**
     * Reads map only the pages read: no fault-around, which on this kernel maps whole large folios of a file
     * written in one piece and made every restore scan every page.
     */
    @Test
    void readsOfAFileMapOnlyThePagesRead(@TempDir Path dir) throws IOException {
        assumeTrue(FaultAround.active(), "userfaultfd with asynchronous write protection is unavailable here");
        Path blob = dir.resolve("blob");
        Files.write(blob, new byte[(int) LAYOUT.size()]);
        MemoryFile file = MemoryFile.fromBlob("blob", Posix.open(blob, Posix.O_RDONLY), LAYOUT.size(), "sha256:test");
        int pages = Math.toIntExact(LAYOUT.size() / MemoryLayout.PAGE_SIZE);
        try (GuestMemory m = GuestMemory.map(file, LAYOUT, false); Memory entries = new Memory(pages * 8L)) {
            assertThat(presentAfterSparseReads(m, pages, entries)).isEqualTo((pages - 3 + 36) / 37);
            m.remap(file, false); // a new mapping over the same addresses: registered again
            assertThat(presentAfterSparseReads(m, pages, entries)).as("after a remap").isEqualTo((pages - 3 + 36) / 37);
        } finally {
            file.release();
        }
    }

    /** Reads every 37th page from the fourth on; returns how many pages of the mapping are present then. */
    private static int presentAfterSparseReads(GuestMemory m, int pages, Memory entries) {
        for (int page = 3; page < pages; page += 37) {
            m.readLong((long) page * MemoryLayout.PAGE_SIZE);
        }
        Pagemap.read(Pointer.nativeValue(m.pointer()), pages, entries);
        int present = 0;
        for (int i = 0; i < pages; i++) {
            present += entries.getLong(i * 8L) < 0 ? 1 : 0; // bit 63: present
        }
        return present;
    }

    @Test
    void remapSwitchesFilesAtTheSameAddress() {
        MemoryFile first = imageWithPattern();
        MemoryFile second = MemoryFile.anonymous("zeros", LAYOUT.size());
        try (GuestMemory m = GuestMemory.map(first, LAYOUT, false)) {
            long before = Pointer.nativeValue(m.pointer());
            m.remap(second, false);
            assertThat(Pointer.nativeValue(m.pointer())).isEqualTo(before);
            assertThat(m.readLong(0x1000)).isZero();
            assertThat(m.file()).isSameAs(second);
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void accessesOutsideTheMemoryAreRefused() {
        MemoryFile file = MemoryFile.anonymous("bounds", LAYOUT.size());
        try (GuestMemory m = GuestMemory.map(file, LAYOUT, false)) {
            assertThatThrownBy(() -> m.readInt(LAYOUT.size() - 2)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("outside memory of " + LAYOUT.size() + " bytes");
            assertThatThrownBy(() -> m.read(-1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> m.write(LAYOUT.size(), new byte[1])).isInstanceOf(IndexOutOfBoundsException.class);
        } finally {
            file.release();
        }
    }

    @Test
    void refusesAFileOfTheWrongSize() {
        MemoryFile small = MemoryFile.anonymous("small", LAYOUT.size() - 4096);
        try {
            assertThatThrownBy(() -> GuestMemory.map(small, LAYOUT, false))
                    .hasMessageContaining("does not match the layout's memory size");
        } finally {
            small.release();
        }
    }
}
