package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.store.GcReport;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.memory.MemoryFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code snapgate gc}: deletes the blobs no tag references and the temp files of writers that died. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Deletes snapshot blobs that no tag references.",
                "A running gateway keeps the blobs it maps: deleted files stay mapped until it lets go."})
public final class GcCommand extends ConfiguredCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        GatewayConfig config = config();
        GcReport report = SnapshotStore.openExisting(config.store()).gc(MemoryFile.openBlobDigests());
        out().printf("deleted %d blobs and %d temp files, freed %d bytes%n", report.count(),
                report.tempFilesDeleted(), report.bytesFreed());
        return 0;
    }
}
