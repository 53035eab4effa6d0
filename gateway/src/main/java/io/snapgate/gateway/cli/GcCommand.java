package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.store.GcReport;
import io.snapgate.store.SnapshotStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code snapgate gc}: deletes the blobs no tag references and the temp files of writers that died. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Deletes snapshot blobs that no tag references.",
                "Keeps the blobs a running gateway (any process) has loaded, until it lets go of them."})
public final class GcCommand extends ConfiguredCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        GatewayConfig config = config();
        GcReport report = SnapshotStore.openExisting(config.store()).gc();
        out().printf("deleted %d blobs and %d temp files, freed %d bytes; kept %d unreferenced blobs in use%n",
                report.count(), report.tempFilesDeleted(), report.bytesFreed(), report.inUseDigests().size());
        return 0;
    }
}
