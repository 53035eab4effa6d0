package io.snapgate.gateway.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.testing.TestGateway;
import io.snapgate.vmm.sys.CpuAffinity;
import io.snapgate.vmm.vcpu.VcpuBackends;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code pinWorkers} (the default) worker i's thread runs on the i-th CPU the gateway may use only, and so
 * do all threads of the emulator process that runs its guests; with it off they run wherever the JVM may. Calls
 * work either way.
 */
class WorkerPinningTest {
    /** Three workers: on a machine of two CPUs the third shares the first's. */
    private static final int WORKERS = 3;

    @BeforeEach
    void emulatedBackend() {
        assumeTrue(VcpuBackends.named("auto") instanceof ProcessBackend, "no emulator processes on this backend");
    }

    @Test
    void eachWorkerAndItsEmulatorProcessRunOnOneCpuRoundRobin() {
        List<Integer> allowed = CpuAffinity.ofCurrentThread().cpus();
        assumeTrue(allowed.size() > 1, "one CPU: pinned and unpinned look the same");
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.WORKERS, Integer.toString(WORKERS)))) {
            assertThat(gw.call("testguest", "echo_i32", 7).statusCode()).isEqualTo(200);
            List<Worker> workers = gw.gateway().workers();
            for (int i = 0; i < WORKERS; i++) {
                List<Integer> expected = List.of(allowed.get(i % allowed.size()));
                Placement placement = placement(workers.get(i), workers.size());
                assertThat(placement.thread()).as("worker %d's thread", i).isEqualTo(expected);
                assertThat(placement.emulator()).as("worker %d's emulator process threads", i)
                        .allSatisfy(cpus -> assertThat(cpus).isEqualTo(expected));
            }
        }
    }

    @Test
    void withPinningOffWorkersAndEmulatorsRunWhereverTheJvmMay() {
        List<Integer> allowed = CpuAffinity.ofCurrentThread().cpus();
        try (TestGateway gw = TestGateway.start(Map.of(ConfigKey.PIN_WORKERS, "false"))) {
            assertThat(gw.call("testguest", "echo_i32", 7).statusCode()).isEqualTo(200);
            for (Worker worker : gw.gateway().workers()) {
                Placement placement = placement(worker, gw.gateway().workers().size());
                assertThat(placement.thread()).isEqualTo(allowed);
                assertThat(placement.emulator()).allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));
            }
        }
    }

    /** Where a worker's thread may run, and each thread of its emulator process. */
    private record Placement(List<Integer> thread, List<List<Integer>> emulator) {
    }

    private static Placement placement(Worker worker, int workers) {
        ProcessBackend backend = (ProcessBackend) VcpuBackends.named("auto");
        return worker.submit(Tenant.permanent("test", workers), null, state -> new Placement(
                CpuAffinity.ofCurrentThread().cpus(), threadCpus(backend.processId())),
                Worker.NO_DEADLINE, () -> { }, null).await();
    }

    private static List<List<Integer>> threadCpus(long pid) {
        List<List<Integer>> all = CpuAffinity.ofThreadsOf(pid).stream().map(CpuAffinity::cpus).toList();
        assertThat(all).as("threads of emulator process %d", pid).isNotEmpty();
        return all;
    }
}
