package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.snapshot.BuiltGuest;
import io.snapgate.gateway.snapshot.SnapshotBuilder;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotJson;
import io.snapgate.gateway.snapshot.StoreSetup;
import io.snapgate.store.SnapshotStore;
import io.snapgate.store.oci.Tag;
import io.snapgate.vmm.sandbox.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapgate build}: ELF to snapshot in the store, with a progress line on stderr and the result on stdout. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds a guest ELF into a snapshot (runs its init) and saves it in the store under a tag.")
public final class BuildCommand extends ConfiguredCommand implements Callable<Integer> {
    @Option(names = "--tag", required = true, paramLabel = "NAME", description = "the tag to save it under")
    private String tag;

    @Parameters(index = "0", paramLabel = "ELF", description = "the guest program")
    private Path elf;

    @Override
    public Integer call() throws IOException {
        GatewayConfig config = config();
        new Tag(tag);
        PrintWriter err = err();
        long start = System.nanoTime();
        err.printf("build %s:", elf.getFileName());
        byte[] bytes = Files.readAllBytes(elf);
        step(err, "read %d KiB", bytes.length / 1024);
        SnapshotBuilder builder = builder(config);
        SnapshotStore store = StoreSetup.open(config, builder);
        try (BuiltGuest guest = builder.build(bytes)) {
            Snapshot snapshot = guest.snapshot();
            step(err, "init done (%d functions)", snapshot.functions().size());
            String digest = guest.save(store, tag);
            long millis = (System.nanoTime() - start) / 1_000_000;
            step(err, "saved as %s:%s in %d ms%n", tag, digest.substring(0, 19), millis);
            out().println(SnapshotJson.summary(SnapshotEntry.of(digest, snapshot), List.of(tag))
                    .encodePrettily());
        }
        return 0;
    }

    private static void step(PrintWriter err, String format, Object... args) {
        err.printf(" " + format + (format.endsWith("%n") ? "" : " ->"), args);
        err.flush();
    }
}
