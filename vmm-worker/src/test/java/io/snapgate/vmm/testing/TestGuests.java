package io.snapgate.vmm.testing;

import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.sandbox.HostFunction;
import io.snapgate.vmm.sandbox.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
        public volatile long spinMillis = 300;

        /** Every host function testguest.elf calls, recording what {@code print} receives. */
        public List<HostFunction> functions() {
            List<HostFunction> list = new ArrayList<>();
            list.add(HostFunction.of("print", ValueType.I32, a -> {
                printed.add((String) a[0]);
                return ((String) a[0]).length();
            }, ValueType.STRING));
            list.add(HostFunction.of("host_add", ValueType.I32, a -> (Integer) a[0] + (Integer) a[1],
                    ValueType.I32, ValueType.I32));
            for (ValueType type : ValueType.values()) {
                if (type != ValueType.VOID) {
                    list.add(HostFunction.of("host_echo_" + type, type, a -> a[0], type));
                }
            }
            list.add(HostFunction.of("host_fail", ValueType.I32, a -> {
                throw new IllegalStateException("boom");
            }));
            list.add(HostFunction.of("host_clock_ms", ValueType.U64, a -> System.nanoTime() / 1_000_000));
            list.add(HostFunction.of("host_spin", ValueType.I32, a -> {
                long end = System.nanoTime() + spinMillis * 1_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return 1;
            }));
            return list;
        }

        /** A sandbox of testguest.elf with these host functions. */
        public Sandbox sandbox() {
            return Sandbox.builder(elf("testguest")).hostFunctions(functions()).build();
        }
    }
}
