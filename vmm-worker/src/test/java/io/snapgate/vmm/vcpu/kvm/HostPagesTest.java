package io.snapgate.vmm.vcpu.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Pointer;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.PageTables;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The copy of the image's page tables that KVM vCPUs run on, and the pages around it (no /dev/kvm needed). */
class HostPagesTest {
    /** Three page directories' worth: tables of 5 pages (PML4, PDPT, 3 PDs). */
    private static final long MEMORY = (2L << 30) + (2L << 20);
    private static final long ADDRESS = 0x000F_FFFF_FFFF_F000L;
    private static final long TWO_MIB = 2L << 20;
    /** Code as an image has it: from 1 MiB, 3 pages, sharing the first 2 MiB page with data. */
    private static final MemorySlot CODE = new MemorySlot("text", 0x100000, 0x100000, 0x3000, Protection.READ_EXECUTE);
    /** Code that fills the 2 MiB page at 2 MiB and no other. */
    private static final MemorySlot WHOLE_PAGE_OF_CODE = new MemorySlot("text", TWO_MIB, TWO_MIB, TWO_MIB,
            Protection.READ_EXECUTE);

    private final HostPages pages = new HostPages();
    private long tablesHost;
    private MemorySlot tables;

    @BeforeEach
    void writeImageTables() {
        long size = PageTables.size(MEMORY);
        // the tables live at guest 0x2000: map that much host memory and let PageTables write at that offset
        tablesHost = Libc.map(0, MemoryLayout.PAGE_TABLES + size, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        PageTables.write(new Pointer(tablesHost), MEMORY);
        tables = new MemorySlot("page-tables", MemoryLayout.PAGE_TABLES, tablesHost + MemoryLayout.PAGE_TABLES, size,
                Protection.READ_ONLY);
    }

    @AfterEach
    void unmap() {
        pages.close();
        Libc.unmap(tablesHost, MemoryLayout.PAGE_TABLES + tables.size());
    }

    /** Entry {@code index} of the table at guest physical {@code tableGuestPhysical}, read from the host pages. */
    private long entry(long tableGuestPhysical, int index) {
        return new Pointer(pages.hostAddress()).getLong(tableGuestPhysical - HostPages.GUEST_PHYSICAL + index * 8L);
    }

    private long copy(MemorySlot... code) {
        return pages.copyTables(tables, MemoryLayout.PAGE_TABLES, List.of(code));
    }

    @Test
    void theCopyLeadsToItsOwnTablesAndTheSameGuestPages() {
        long cr3 = copy();
        assertThat(cr3).isGreaterThanOrEqualTo(HostPages.GUEST_PHYSICAL);

        long pdpt = entry(cr3, 0) & ADDRESS;
        assertThat(pdpt).as("PML4[0] points into the copy").isEqualTo(cr3 + MemoryLayout.PAGE_SIZE);
        for (int gib = 0; gib < 3; gib++) {
            long pd = entry(pdpt, gib) & ADDRESS;
            assertThat(pd).as("PDPT[%d]", gib).isEqualTo(cr3 + (2 + gib) * MemoryLayout.PAGE_SIZE);
            long leaf = entry(pd, 0);
            assertThat(leaf & ADDRESS).as("the first 2 MiB page of GiB %d", gib).isEqualTo((long) gib << 30);
            assertThat(leaf & PageTables.HUGE).isNotZero();
            assertThat(leaf & GuestTables.NO_EXECUTE).as("no code anywhere: no-execute").isNotZero();
        }
        assertThat(entry(entry(pdpt, 2) & ADDRESS, 1)).as("past the memory: no page").isZero();
        assertThat(entry(cr3, 511) & PageTables.PRESENT).as("the exception pages' entry").isNotZero();
    }

    @Test
    void aTwoMibPageOfCodeAndDataIsSplitSoOnlyTheCodeExecutes() {
        long cr3 = copy(CODE);
        long pd = entry(entry(cr3, 0) & ADDRESS, 0) & ADDRESS;

        long first = entry(pd, 0);
        assertThat(first & PageTables.HUGE).as("split: a table, not a 2 MiB page").isZero();
        long table = first & ADDRESS;
        assertThat(table).as("the split table follows the copy").isEqualTo(cr3 + 5 * MemoryLayout.PAGE_SIZE);
        for (int i = 0; i < 512; i++) {
            long page = entry(table, i);
            long address = i * MemoryLayout.PAGE_SIZE;
            boolean code = address >= CODE.guestAddress() && address < CODE.guestEnd();
            assertThat(page & ADDRESS).isEqualTo(address);
            assertThat(page & GuestTables.NO_EXECUTE).as("page 0x%x", address)
                    .isEqualTo(code ? 0 : GuestTables.NO_EXECUTE);
            assertThat(page & PageTables.PRESENT).isNotZero();
        }
        assertThat(entry(pd, 1) & GuestTables.NO_EXECUTE).as("the next 2 MiB holds no code").isNotZero();
        assertThat(entry(pd, 1) & PageTables.HUGE).isNotZero();
        assertThat(pages.writableSize()).as("LINEAR tables, stack, the 5 pages copied and one split table")
                .isEqualTo((4 + 5 + 1) * MemoryLayout.PAGE_SIZE);
    }

    @Test
    void aTwoMibPageOfCodeOnlyStaysWholeAndExecutable() {
        long cr3 = copy(WHOLE_PAGE_OF_CODE);
        long pd = entry(entry(cr3, 0) & ADDRESS, 0) & ADDRESS;

        assertThat(entry(pd, 1) & (PageTables.HUGE | GuestTables.NO_EXECUTE)).isEqualTo(PageTables.HUGE);
        assertThat(entry(pd, 0) & GuestTables.NO_EXECUTE).isNotZero();
        assertThat(pages.writableSize()).isEqualTo((4 + 5) * MemoryLayout.PAGE_SIZE);
    }

    @Test
    void copyingAgainGivesTheSameTables() {
        long cr3 = copy(CODE);
        long pdpt = entry(cr3, 0);
        long pd = entry(pdpt & ADDRESS, 0);

        assertThat(copy(CODE)).isEqualTo(cr3);
        assertThat(entry(cr3, 0)).as("relocated once, not twice").isEqualTo(pdpt);
        assertThat(entry(pdpt & ADDRESS, 0)).isEqualTo(pd);
    }

    @Test
    void restorePutsBackEveryWritablePageTheGuestCouldHaveWritten() {
        long cr3 = copy(CODE);
        long writable = pages.hostAddress() + HostPages.READ_ONLY_SIZE;
        byte[] before = new Pointer(writable).getByteArray(0, (int) pages.writableSize());
        new Pointer(writable).setMemory(0, pages.writableSize(), (byte) 0x5A); // over the tables, the stack...

        pages.restore();

        assertThat(new Pointer(writable).getByteArray(0, (int) pages.writableSize())).isEqualTo(before);
        assertThat(entry(cr3, 511) & PageTables.PRESENT).isNotZero();
        assertThat(pages.faultRip()).as("the IST stack is zero again").isZero();
    }

    @Test
    void tablesThatUseTheTopEntryAreRefused() {
        new Pointer(tables.hostAddress()).setLong(511 * 8L, PageTables.PRESENT);

        assertThatThrownBy(() -> copy(CODE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PML4 entry 511");
    }
}
