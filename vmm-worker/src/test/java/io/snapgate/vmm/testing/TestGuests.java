package io.snapgate.vmm.testing;

import io.snapgate.vmm.sandbox.ExampleHostFunctions;
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

    /** What the test guest's host functions saw. */
    public static final class Host {
        public final List<String> printed = new CopyOnWriteArrayList<>();

        /** Every host function testguest.elf calls, recording what {@code print} receives. */
        public List<HostFunction> functions() {
            return ExampleHostFunctions.create(printed::add, Duration.ofMillis(300));
        }

        /** A sandbox of testguest.elf with these host functions, on the backend this machine detects. */
        public Sandbox sandbox() {
            return Sandbox.builder(elf("testguest")).hostFunctions(functions()).build();
        }

        /** A sandbox of testguest.elf with these host functions on {@code backend}. */
        public Sandbox sandbox(VcpuBackend backend) {
            return Sandbox.builder(elf("testguest")).hostFunctions(functions()).backend(backend).build();
        }
    }
}
