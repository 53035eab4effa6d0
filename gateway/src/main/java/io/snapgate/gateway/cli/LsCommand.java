package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotJson;
import io.snapgate.gateway.snapshot.StoreSetup;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snapgate ls}: the store's tags, with digest, memory size and functions; a snapshot that does not load is
 * listed with what is wrong with it (exit status 1).
 */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the snapshots in the store.")
public final class LsCommand extends ConfiguredCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print a JSON array instead of a table")
    private boolean json;

    @Override
    public Integer call() {
        GatewayConfig config = config();
        SnapshotStore store = StoreSetup.openToRead(config, builder(config));
        PrintWriter out = out();
        JsonArray all = new JsonArray();
        if (!json) {
            out.printf("%-24s %-23s %10s  %s%n", "TAG", "DIGEST", "MEMORY", "FUNCTIONS");
        }
        int failed = StoreWalk.walk(store, List.of(), false, new StoreWalk.Visitor() {
            @Override
            public void loaded(String tag, String digest, Snapshot snapshot, long nanos) {
                all.add(SnapshotJson.summary(SnapshotEntry.of(digest, snapshot), List.of(tag)));
                if (!json) {
                    out.printf("%-24s %-23s %10s  %s%n", tag, digest.substring(0, 23),
                            snapshot.memorySize() / 1024 + " KiB",
                            String.join(" ", snapshot.functions().stream().map(f -> f.name()).toList()));
                }
            }

            @Override
            public void failed(String tag, StoreWalk.Verdict verdict, String problem) {
                all.add(new JsonObject().put("tags", new JsonArray().add(tag)).put("problem", problem));
                if (!json) {
                    StoreWalk.print(out, tag, verdict, problem);
                }
            }
        });
        if (json) {
            out.println(all.encodePrettily());
        }
        return failed == 0 ? 0 : Cli.FAILED;
    }
}
