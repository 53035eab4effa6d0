package io.snapgate.gateway.snapshot;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The example guests shipped in the jar ({@code guests/<name>.elf}), installed as snapshots into a new store. */
public final class ExampleGuests {
    /** Tag names, which are also the guests' file names. */
    public static final List<String> NAMES = List.of("hello", "testguest");

    private static final Logger LOG = LoggerFactory.getLogger(ExampleGuests.class);

    private ExampleGuests() {
    }

    /**
     * Builds and saves every example guest when the store has no tags yet; returns how many it installed. A
     * full store is not fatal: the gateway still serves what the store holds, and the warning says what is missing.
     */
    public static int installIfEmpty(SnapshotStore store, SnapshotBuilder builder) {
        if (!store.tags().isEmpty()) {
            return 0;
        }
        int installed = 0;
        for (String name : NAMES) {
            try (BuiltGuest guest = builder.build(elf(name))) {
                String digest = guest.save(store, name);
                LOG.info("installed example guest {} as {}", name, digest);
                installed++;
            } catch (SnapshotFormatException e) {
                if (e.problem() != Problem.STORE_FULL) {
                    throw e;
                }
                LOG.warn("example guests {} not installed: {}", NAMES.subList(installed, NAMES.size()), e.getMessage());
                break;
            }
        }
        return installed;
    }

    /** The ELF bytes of an example guest. */
    public static byte[] elf(String name) {
        try (InputStream in = ExampleGuests.class.getResourceAsStream("/guests/" + name + ".elf")) {
            if (in == null) {
                throw new IllegalStateException("example guest guests/" + name + ".elf is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
