package io.snapgate.gateway.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.memory.MemoryBudget;
import io.snapgate.gateway.memory.MemoryUse;
import io.snapgate.gateway.snapshot.ExampleGuests;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.testing.GuestVariants;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.SandboxConfig;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's idle sandboxes on the real emulated backend, with snapshots of distinct code (variants of testguest):
 * bounded by the bytes they reserve and by a count, least recently used evicted first, their reservations in the
 * node's budget; the vCPUs they keep are charged against the same bytes, the least recently used giving theirs back
 * first; and a warm-up maps one and sets its vCPU up without a call.
 */
class IdleSandboxesTest {
    private static final SandboxFactory FACTORY = new SandboxFactory(GatewayHostFunctions.all(),
            VcpuBackends.named(UnicornBackend.NAME), SandboxConfig.DEFAULT, GuestLog.SLF4J);
    private static final List<SnapshotEntry> ENTRIES = new ArrayList<>();
    private static final long VCPU = 1L << 20;
    /** Every snapshot's home is the worker under test. */
    private static final Predicate<String> HOME_HERE = digest -> true;
    private static long writable;

    private MemoryBudget budget = new MemoryBudget(1L << 30, 1L << 30);
    private WorkerState state;

    @BeforeAll
    static void snapshots() {
        byte[] testguest = ExampleGuests.elf("testguest");
        for (int n = 1; n <= 4; n++) {
            try (Sandbox built = Sandbox.builder(GuestVariants.variant(testguest, n))
                    .hostFunctions(GatewayHostFunctions.all()).backend(FACTORY.backend()).build()) {
                ENTRIES.add(SnapshotEntry.of("sha256:variant" + n, built.snapshot()));
            }
        }
        writable = ENTRIES.get(0).snapshot().layout().writableBytes();
        assertThat(ENTRIES.stream().map(e -> e.snapshot().codeDigest()).distinct()).as("distinct code").hasSize(4);
    }

    @AfterAll
    static void closeSnapshots() {
        ENTRIES.forEach(e -> e.snapshot().close());
    }

    @AfterEach
    void close() {
        state.closeAll();
        assertThat(budget.reserved()).as("every reservation given back").isZero();
    }

    private void call(int variant) {
        Object result = state.call(ENTRIES.get(variant - 1), "add", new Object[] {variant, 1},
                System.nanoTime() + Duration.ofSeconds(5).toNanos()).value();
        assertThat(result).isEqualTo(variant + 1);
    }

    private void assertCached(int... variants) {
        for (int n = 1; n <= ENTRIES.size(); n++) {
            int v = n;
            boolean expected = java.util.Arrays.stream(variants).anyMatch(x -> x == v);
            assertThat(state.holds(ENTRIES.get(n - 1).digest())).as("variant %d cached", n).isEqualTo(expected);
        }
        assertThat(state.cached()).isEqualTo(variants.length);
        assertThat(budget.reserved(MemoryUse.CACHED_SANDBOXES)).as("their reservations")
                .isEqualTo(variants.length * writable);
    }

    @Test
    void boundedByBytesLeastRecentlyUsedEvictedFirst() {
        state = new WorkerState(FACTORY, budget, new CacheLimits(100, 2 * writable + writable / 2, 0), HOME_HERE);
        call(1);
        call(2);
        assertCached(1, 2);
        call(1); // 2 is now the least recently used
        call(3);
        assertCached(1, 3);
        call(2);
        assertCached(3, 2);
    }

    @Test
    void copiesOfOtherWorkersSnapshotsAreEvictedBeforeItsOwn() {
        String copy = ENTRIES.get(1).digest(); // variant 2's home is another worker
        state = new WorkerState(FACTORY, budget, new CacheLimits(100, 2 * writable + writable / 2, 0),
                digest -> !digest.equals(copy));
        call(1);
        call(2);
        call(3); // 1 is the least recently used, but 2 is a copy of another worker's
        assertCached(1, 3);
        call(2);
        assertCached(2, 3); // of 1 and 3, both its own, the least recently used went
    }

    @Test
    void ofTheCopiesTheLeastRecentlyUsedGoesFirst() {
        Set<String> copies = Set.of(ENTRIES.get(1).digest(), ENTRIES.get(2).digest()); // variants 2 and 3
        state = new WorkerState(FACTORY, budget, new CacheLimits(3, 1L << 30, 0), digest -> !copies.contains(digest));
        call(1);
        call(2);
        call(3);
        call(2); // 1 is the least recently used, and of the copies 3
        call(4);
        assertCached(1, 2, 4);
        call(3); // 2 is the only copy left: it goes, though 1 was used before it
        assertCached(1, 3, 4);
        call(2); // 3 again, the only copy
        assertCached(1, 2, 4);
        state.makeRoom(budget.budget() - budget.reserved() + writable + 1); // the copy, then the eldest of its own
        assertCached(4);
    }

    @Test
    void boundedByCountToo() {
        state = new WorkerState(FACTORY, budget, new CacheLimits(3, 1L << 30, VCPU), HOME_HERE);
        for (int n = 1; n <= 4; n++) {
            call(n);
        }
        assertCached(2, 3, 4);
    }

    @Test
    void heldVcpusAreChargedAgainstTheSameBytesTheLeastRecentlyUsedLetGo() {
        state = new WorkerState(FACTORY, budget, new CacheLimits(100, 3 * writable + 2 * VCPU, VCPU), HOME_HERE);
        call(1);
        call(2);
        assertVcpus(2);
        call(3); // three sandboxes and three vCPUs are one vCPU too many: 1's goes, the sandbox stays
        assertVcpus(2);
        assertCached(1, 2, 3);
        call(1); // its vCPU was given back: it takes one again, and answers as before; 2's goes
        assertVcpus(2);
        call(3);
        call(1);
        assertVcpus(2);
        state.releaseIdleVcpus(-1);
        assertVcpus(0);
    }

    @Test
    void aNewSandboxEvictsWholeSandboxesTheirVcpusWithThem() {
        state = new WorkerState(FACTORY, budget, new CacheLimits(100, 2 * writable + 2 * VCPU, VCPU), HOME_HERE);
        call(1);
        call(2);
        assertVcpus(2);
        call(3); // 1 is evicted for it, its vCPU charge given back with it
        assertCached(2, 3);
        assertVcpus(2);
    }

    @Test
    void roomInTheNodesBudgetTakesVcpusBeforeSandboxes() {
        state = new WorkerState(FACTORY, budget, new CacheLimits(100, 1L << 30, VCPU), HOME_HERE);
        call(1);
        call(2);
        call(3);
        assertVcpus(3);
        state.makeRoom(budget.budget() - budget.reserved() + VCPU + 1); // two vCPUs' worth short
        assertVcpus(1);
        assertCached(1, 2, 3);
        state.makeRoom(budget.budget() - budget.reserved() + VCPU + writable); // the last vCPU and a sandbox
        assertVcpus(0);
        assertCached(2, 3);
    }

    @Test
    void aVcpuTheNodesBudgetHasNoRoomForIsGivenBackAtOnce() {
        budget = new MemoryBudget(writable + VCPU / 2, 1L << 20);
        state = new WorkerState(FACTORY, budget, new CacheLimits(100, 1L << 30, VCPU), HOME_HERE);
        call(1);
        assertCached(1);
        assertVcpus(0);
        call(1);
        assertVcpus(0);
    }

    /** {@code count} cached sandboxes hold a vCPU, and the node's budget says so. */
    private void assertVcpus(int count) {
        assertThat(state.cachedWithVcpu()).as("cached sandboxes holding a vCPU").isEqualTo(count);
        assertThat(budget.reserved(MemoryUse.CACHED_VCPUS)).as("their charge").isEqualTo(count * VCPU);
    }

    @Test
    void aWarmUpMapsTheSandboxAndSetsItsVcpuUpWithoutACall() {
        state = new WorkerState(FACTORY, budget, new CacheLimits(100, 1L << 30, VCPU), HOME_HERE);
        SnapshotEntry entry = ENTRIES.get(3);
        state.warm(entry, Duration.ofSeconds(5));
        assertCached(4);
        assertThat(state.cachedWithVcpu()).as("the guest ran on a vCPU it keeps").isEqualTo(1);
        assertThat(budget.reserved(MemoryUse.CACHED_VCPUS)).as("and is charged for").isEqualTo(VCPU);
        Object staticValue = state.call(entry, "get_static", new Object[0],
                System.nanoTime() + Duration.ofSeconds(5).toNanos()).value();
        assertThat(staticValue).as("the warm-up left the guest's state as the snapshot has it").isEqualTo(0);
        call(4);
    }
}
