package io.snapgate.gateway.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Placement} (which worker a call runs on), each with loads that only that rule decides: a
 * worker mapping the snapshot first, else its home; a miss worth {@value Placement#MISS_WORTH_JOBS} jobs; never
 * behind a job while another worker has none; ties spread by where the look starts.
 */
class PlacementTest {
    private static final int NO_SNAPSHOT = -1;
    private static final int JOBS = Placement.MISS_WORTH_JOBS;

    /** The worker picked, the same from every start: the loads leave no tie for the start to break. */
    private static int pick(int[] loads, Set<Integer> holders, int home) {
        int first = Placement.pick(loads, holders::contains, home, 0);
        for (int start = 1; start < loads.length; start++) {
            assertThat(Placement.pick(loads, holders::contains, home, start)).as("from start %d", start)
                    .isEqualTo(first);
        }
        return first;
    }

    @Test
    void aCallOfNoSnapshotGoesToTheLeastLoaded() {
        assertThat(pick(new int[] {3, 1, 2}, Set.of(), NO_SNAPSHOT)).isEqualTo(1);
        assertThat(pick(new int[] {40, 30, 0}, Set.of(), NO_SNAPSHOT)).isEqualTo(2);
    }

    @Test
    void aWorkerThatMapsTheSnapshotIsPreferredToAnIdlerOne() {
        assertThat(pick(new int[] {5, 1, 2}, Set.of(0), 2)).as("over its home too").isEqualTo(0);
    }

    @Test
    void ofTheWorkersThatMapItTheLeastLoaded() {
        assertThat(pick(new int[] {1, 7, 4, 3}, Set.of(1, 2, 3), 1)).isEqualTo(3);
    }

    @Test
    void whereNoWorkerMapsItItsHomeIsPreferredToAnIdlerOne() {
        assertThat(pick(new int[] {4, 1, 9}, Set.of(), 2)).isEqualTo(2);
        assertThat(pick(new int[] {4, 1, 9}, Set.of(), 0)).isEqualTo(0);
    }

    @Test
    void aMissIsWorthTenJobsOfLoadNotMore() {
        assertThat(pick(new int[] {1 + JOBS, 1}, Set.of(0), 1)).as("mapped, ten jobs more").isEqualTo(0);
        assertThat(pick(new int[] {2 + JOBS, 1}, Set.of(0), 1)).as("mapped, eleven jobs more").isEqualTo(1);
        assertThat(pick(new int[] {3, 3 + JOBS, 4}, Set.of(), 1)).as("home, ten jobs more").isEqualTo(1);
        assertThat(pick(new int[] {3, 4 + JOBS, 4}, Set.of(), 1)).as("home, eleven jobs more").isEqualTo(0);
    }

    @Test
    void neverBehindAJobWhileAnotherWorkerHasNone() {
        assertThat(pick(new int[] {1, 0, 2}, Set.of(0), 0)).as("its holder and home has one job").isEqualTo(1);
        assertThat(pick(new int[] {2, 1, 0}, Set.of(), 1)).as("its home has one job").isEqualTo(2);
        assertThat(pick(new int[] {1, 2, 3}, Set.of(), 2)).as("no worker is idle: its home, behind three")
                .isEqualTo(2);
    }

    @Test
    void anIdleHolderOrHomeKeepsItsCallWhenOthersAreIdleToo() {
        assertThat(pick(new int[] {0, 0, 0}, Set.of(2), 0)).as("the holder").isEqualTo(2);
        assertThat(pick(new int[] {0, 0, 0}, Set.of(), 1)).as("the home").isEqualTo(1);
    }

    @Test
    void tiesGoToTheFirstFromTheStartSoThatVaryingItSpreadsThem() {
        int[] loads = {2, 0, 1, 0};
        assertThat(IntStream.range(0, loads.length).map(s -> Placement.pick(loads, w -> false, NO_SNAPSHOT, s)))
                .as("the least loaded from starts 0 to 3").containsExactly(1, 1, 3, 3);
        int[] holders = {3, 3, 1, 3};
        assertThat(IntStream.range(0, holders.length)
                .map(s -> Placement.pick(holders, w -> w != 2, NO_SNAPSHOT, s)))
                .as("of the workers that map it, the least loaded from starts 0 to 3").containsExactly(0, 1, 3, 3);
    }

    @Test
    void aSnapshotsHomeIsOneWorkerByItsDigestsHash() {
        HomeWorkers homes = new HomeWorkers(3);
        String digest = "sha256:" + "ab".repeat(32);
        assertThat(homes.of(digest)).isEqualTo(Math.floorMod(digest.hashCode(), 3));
        assertThat("polygenelubricants".hashCode()).as("a hash Math.abs leaves negative").isEqualTo(Integer.MIN_VALUE);
        assertThat(homes.of("polygenelubricants")).isBetween(0, 2);
        assertThat(IntStream.range(0, 30).map(n -> homes.of("sha256:" + n)).distinct().sorted())
                .as("digests spread over every worker").containsExactly(0, 1, 2);
    }
}
