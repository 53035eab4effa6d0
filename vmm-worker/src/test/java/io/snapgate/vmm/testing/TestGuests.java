package io.snapgate.vmm.testing;

import io.snapgate.vmm.sandbox.ExampleHostFunctions;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.vcpu.VcpuBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The example guests built by the guests module, and the host functions the test guest expects. */
public final class TestGuests {
    private TestGuests() {
    }

    /** The ELF bytes of {@code guests/<name>.elf} from the class path. */
    public static byte[] elf(String name) {
        try (InputStream in = TestGuests.class.getResourceAsStream("/guests/" + name + ".elf")) {
            if (in == null) {
                throw new IllegalStateException("guests/" + name + ".elf is not on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host a test guest's sandbox runs with: its host functions, and a log that records what it got. */
    public static final class Host {
        /** The messages the guest logged (sg_log and print) in the sandboxes of {@link #sandbox}. */
        public final List<String> printed = new CopyOnWriteArrayList<>();

        /** Every host function testguest.elf calls besides the built-in print. */
        public List<HostFunction> functions() {
            return ExampleHostFunctions.create(Duration.ofMillis(300));
        }

        /** A log that records each message in {@link #printed}. */
        public GuestLog log() {
            return (level, message) -> printed.add(message);
        }

        /** A sandbox of testguest.elf with these host functions and log, on the backend this machine detects. */
        public Sandbox sandbox() {
            return Sandbox.builder(elf("testguest")).hostFunctions(functions()).log(log()).build();
        }

        /** A sandbox of testguest.elf with these host functions and log on {@code backend}. */
        public Sandbox sandbox(VcpuBackend backend) {
            return Sandbox.builder(elf("testguest")).hostFunctions(functions()).log(log()).backend(backend).build();
        }
    }
}
