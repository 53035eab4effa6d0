package io.snapgate.gateway.snapshot;

import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.memory.OverBudget;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.memory.MemoryLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example guests shipped in the jar ({@code guests/<name>.elf}) and the example scripts
 * ({@code guests/<name>.js}, guests/examples-js), installed as snapshots into a new store.
 */
public final class ExampleGuests {
    /** Tag names, which are also the guests' file names. */
    public static final List<String> NAMES = List.of("hello", "testguest");
    /** Tag names of the example scripts, also their file names. */
    public static final List<String> SCRIPTS = List.of("validate", "template", "rules");

    private static final Logger LOG = LoggerFactory.getLogger(ExampleGuests.class);

    private ExampleGuests() {
    }

    /**
     * Builds and saves every example guest when the store has no tags yet; returns how many it installed. A
     * full store is not fatal, nor is a guest that does not build within the node's memory budget or init
     * deadline: the gateway still serves what the store holds, and the warning says what is missing.
     */
    public static int installIfEmpty(SnapshotStore store, SnapshotBuilder builder) {
        if (!store.tags().isEmpty()) {
            return 0;
        }
        List<String> names = new ArrayList<>(NAMES);
        names.addAll(SCRIPTS);
        int installed = 0;
        for (String name : names) {
            boolean script = SCRIPTS.contains(name);
            GuestSource source = GuestSource.of(script ? resource(name + ".js") : elf(name), script,
                    GuestSizes.DEFAULTS);
            try (BuiltGuest guest = builder.build(source, MemoryLayout.MAX_SIZE)) {
                String digest = guest.save(store, name);
                LOG.info("installed example guest {} as {}", name, digest);
                installed++;
            } catch (OverBudget | GatewayException e) {
                // A script's engine needs megabytes and its init time that a small node may not give it.
                LOG.warn("example guest {} not installed: {}", name, e.getMessage());
            } catch (SnapshotFormatException e) {
                if (e.problem() != Problem.STORE_FULL) {
                    throw e;
                }
                LOG.warn("example guests {} not installed: {}", names.subList(installed, names.size()),
                        e.getMessage());
                break;
            }
        }
        return installed;
    }

    /** The ELF bytes of an example guest. */
    public static byte[] elf(String name) {
        return resource(name + ".elf");
    }

    /** The bytes of {@code guests/<file>} in the jar. */
    public static byte[] resource(String file) {
        try (InputStream in = ExampleGuests.class.getResourceAsStream("/guests/" + file)) {
            if (in == null) {
                throw new IllegalStateException("guests/" + file + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
