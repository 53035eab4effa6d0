package io.snapgate.gateway.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The budget's account: reservations, releases, refusals and what they say; the derived default. */
class MemoryBudgetAccountTest {
    private static final long MIB = 1 << 20;

    @Test
    void reservationsAddUpAndAreGivenBackOnce() {
        MemoryBudget budget = new MemoryBudget(10 * MIB, 4 * MIB);
        Reservation session = budget.reserve(MemoryUse.SESSIONS, 3 * MIB, "a session");
        Reservation cached = budget.reserve(MemoryUse.CACHED_SANDBOXES, 2 * MIB, "a sandbox");
        assertThat(budget.tryReserve(MemoryUse.REQUEST_BODIES, MIB)).isTrue();
        assertThat(budget.reserved()).isEqualTo(6 * MIB);
        assertThat(budget.reserved(MemoryUse.SESSIONS)).isEqualTo(3 * MIB);
        assertThat(budget.reserved(MemoryUse.REQUEST_BODIES)).isEqualTo(MIB);
        assertThat(budget.fits(4 * MIB)).isTrue();
        assertThat(budget.fits(4 * MIB + 1)).isFalse();

        session.close();
        session.close();
        cached.close();
        budget.release(MemoryUse.REQUEST_BODIES, MIB);
        assertThat(budget.reserved()).isZero();
        for (MemoryUse use : MemoryUse.values()) {
            assertThat(budget.reserved(use)).as(use.label()).isZero();
        }
    }

    @Test
    void aReservationPastTheBudgetIsRefusedNamingTheBudgetWhatHoldsItAndHowToRaiseIt() {
        MemoryBudget budget = new MemoryBudget(10 * MIB, 4 * MIB);
        budget.reserve(MemoryUse.SESSIONS, 8 * MIB, "a session");
        assertThatThrownBy(() -> budget.reserve(MemoryUse.SESSIONS, 2 * MIB + 512 * 1024, "a session of x"))
                .isInstanceOfSatisfying(OverBudget.class, e -> assertThat(e.needed()).isEqualTo(2 * MIB + 512 * 1024))
                .hasMessage("the node's memory budget of 10 MiB is spent (8 MiB reserved: sessions 8 MiB,"
                        + " cachedSandboxes 0 bytes, cachedVcpus 0 bytes, builds 0 bytes, requestBodies 0 bytes); a"
                        + " session of x needs 2.5 MiB: end sessions or retry later, or raise memoryBudget"
                        + " (--memory-budget, SNAPGATE_MEMORY_BUDGET)");
        assertThat(budget.reserved()).as("a refusal reserves nothing").isEqualTo(8 * MIB);
        assertThat(budget.tryReserve(MemoryUse.BUILDS, 2 * MIB)).isTrue();
    }

    @Test
    void somethingLargerThanTheWholeBudgetIsToldSo() {
        MemoryBudget budget = new MemoryBudget(10 * MIB, 4 * MIB);
        assertThatThrownBy(() -> budget.reserve(MemoryUse.BUILDS, 16L << 30, "building this guest"))
                .hasMessage("building this guest needs 16 GiB, more than the node's whole memory budget of 10 MiB;"
                        + " raise memoryBudget (--memory-budget, SNAPGATE_MEMORY_BUDGET)");
    }

    @Test
    void requestBodiesHaveTheirOwnLimitWithinTheBudget() {
        MemoryBudget budget = new MemoryBudget(10 * MIB, 4 * MIB);
        assertThat(budget.tryReserve(MemoryUse.REQUEST_BODIES, 3 * MIB)).isTrue();
        assertThat(budget.tryReserve(MemoryUse.REQUEST_BODIES, 2 * MIB)).as("past the bodies' limit").isFalse();
        assertThat(budget.refusal(MemoryUse.REQUEST_BODIES, 2 * MIB, "receiving this body").getMessage())
                .isEqualTo("request bodies being received hold 3 MiB of the 4 MiB they may take (half the JVM's"
                        + " maximum heap); retry later, or give the JVM more heap (-Xmx)");
        assertThat(budget.tryReserve(MemoryUse.SESSIONS, 7 * MIB)).isTrue();
        assertThat(budget.tryReserve(MemoryUse.REQUEST_BODIES, MIB)).as("past the budget").isFalse();
        assertThat(budget.tryReserve(MemoryUse.SESSIONS, MIB)).as("bodies count in the budget").isFalse();
    }

    @Test
    void theDerivedBudgetLeavesTheHeapAndAQuarterOfTheRest() {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(MemoryBudget.derived()).isEqualTo(Math.max(64 * MIB, (total - heap) / 4 * 3))
                .isLessThan(Math.max(64 * MIB + 1, total - heap));
    }
}
