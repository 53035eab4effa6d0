package io.snapgate.vmm.vcpu.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.vcpu.Vcpu;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stop request that arrives when no run is in progress: the watchdog's repeated stop just after the run it was
 * meant for answered, before the call ended. It stops nothing, and it must not count against the process later:
 * it once made the next request that waited at all (more than 10 us) kill a healthy process a second on, "did not
 * stop within 1000 ms", losing every sandbox it held.
 */
class EmulatorStopTest {
    @Test
    void aStopBetweenRequestsDoesNotKillTheProcessLater() throws Exception {
        try (ProcessBackend backend = TestProcessBackend.oneIdleEngine()) {
            long pid = backend.processId();
            List<Vcpu> vcpus = new ArrayList<>();
            try {
                vcpus.add(backend.createVcpu("a"));
                vcpus.get(0).requestStop();
                Thread.sleep(EmulatorProcess.STOP_GRACE_NANOS / 1_000_000 + 200);
                for (int i = 0; i < 3; i++) { // past the warm engines: opening one takes milliseconds
                    vcpus.add(backend.createVcpu("b" + i));
                }
                assertThat(backend.processId()).isEqualTo(pid);
            } finally {
                vcpus.forEach(Vcpu::close);
            }
        }
    }
}
