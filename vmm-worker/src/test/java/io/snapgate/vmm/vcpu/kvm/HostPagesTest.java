package io.snapgate.vmm.vcpu.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Pointer;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.PageTables;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The copy of the image's page tables that KVM vCPUs run on (no /dev/kvm needed). */
class HostPagesTest {
    /** Three page directories' worth: tables of 5 pages (PML4, PDPT, 3 PDs). */
    private static final long MEMORY = (2L << 30) + (2L << 20);
    private static final long ADDRESS = 0x000F_FFFF_FFFF_F000L;

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

    @Test
    void theCopyLeadsToItsOwnTablesAndTheSameGuestPages() {
        long cr3 = pages.copyTables(tables, MemoryLayout.PAGE_TABLES);
        assertThat(cr3).isGreaterThanOrEqualTo(HostPages.GUEST_PHYSICAL);

        long pdpt = entry(cr3, 0) & ADDRESS;
        assertThat(pdpt).as("PML4[0] points into the copy").isEqualTo(cr3 + MemoryLayout.PAGE_SIZE);
        for (int gib = 0; gib < 3; gib++) {
            long pd = entry(pdpt, gib) & ADDRESS;
            assertThat(pd).as("PDPT[%d]", gib).isEqualTo(cr3 + (2 + gib) * MemoryLayout.PAGE_SIZE);
            long leaf = entry(pd, 0);
            assertThat(leaf & ADDRESS).as("the first 2 MiB page of GiB %d", gib).isEqualTo((long) gib << 30);
            assertThat(leaf & PageTables.HUGE).isNotZero();
        }
        assertThat(entry(entry(pdpt, 2) & ADDRESS, 1)).as("past the memory: no page").isZero();
        assertThat(entry(cr3, 511) & PageTables.PRESENT).as("the exception pages' entry").isNotZero();
    }

    @Test
    void copyingAgainGivesTheSameTables() {
        long cr3 = pages.copyTables(tables, MemoryLayout.PAGE_TABLES);
        long pdpt = entry(cr3, 0);

        assertThat(pages.copyTables(tables, MemoryLayout.PAGE_TABLES)).isEqualTo(cr3);
        assertThat(entry(cr3, 0)).as("relocated once, not twice").isEqualTo(pdpt);
    }

    @Test
    void tablesThatUseTheTopEntryAreRefused() {
        new Pointer(tables.hostAddress()).setLong(511 * 8L, PageTables.PRESENT);

        assertThatThrownBy(() -> pages.copyTables(tables, MemoryLayout.PAGE_TABLES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PML4 entry 511");
    }
}
