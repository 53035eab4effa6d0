package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.snapshot.BuiltGuest;
import io.snapgate.gateway.snapshot.GuestSizes;
import io.snapgate.gateway.snapshot.GuestSource;
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

/**
 * {@code snapgate build}: ELF or JavaScript script (a {@code .js} file) to snapshot in the store, with a progress
 * line on stderr and the result on stdout.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds a guest ELF, or a JavaScript script (FILE ending in .js), into a snapshot (runs its"
                + " init) and saves it in the store under a tag.")
public final class BuildCommand extends ConfiguredCommand implements Callable<Integer> {
    @Option(names = "--tag", required = true, paramLabel = "NAME", description = "the tag to save it under")
    private String tag;

    @Parameters(index = "0", paramLabel = "FILE", description = "the guest ELF, or a script ending in .js")
    private Path elf;

    @Option(names = "--heap", paramLabel = "SIZE", description = "the guest's heap (default 1MiB; a script's 16MiB)")
    private String heap;

    @Option(names = "--stack", paramLabel = "SIZE", description = "its stack (default 128KiB; a script's 1MiB)")
    private String stack;

    @Option(names = "--input", paramLabel = "SIZE", description = "its input buffer (default 64KiB; a script's"
            + " 256KiB or its size)")
    private String input;

    @Option(names = "--output", paramLabel = "SIZE", description = "its output buffer (default 64KiB; a script's"
            + " 256KiB)")
    private String output;

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
        GuestSizes sizes = GuestSizes.parse(name -> switch (name) {
            case "heap" -> heap;
            case "stack" -> stack;
            case "input" -> input;
            default -> output;
        }, config.maxGuestMemory());
        GuestSource source = GuestSource.of(bytes, elf.getFileName().toString().endsWith(".js"), sizes);
        try (BuiltGuest guest = builder.build(source, config.maxGuestMemory())) {
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
