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
 * listed with what is wrong with it (exit status 1); an image another tool put in the store is listed as skipped.
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
        StoreWalk.Counts counts = StoreWalk.walk(store, List.of(), false, new StoreWalk.Visitor() {
            @Override
            public void loaded(String name, String digest, Snapshot snapshot, long nanos) {
                List<String> tags = name.equals(digest) ? List.of() : List.of(name); // untagged: named by digest
                all.add(SnapshotJson.summary(SnapshotEntry.of(digest, snapshot), tags));
                if (!json) {
                    out.printf("%-24s %-23s %10s  %s%n", name, digest.substring(0, 23),
                            snapshot.memorySize() / 1024 + " KiB",
                            String.join(" ", snapshot.functions().stream().map(f -> f.name()).toList()));
                }
            }

            @Override
            public void failed(String name, StoreWalk.Verdict verdict, String problem) {
                all.add(new JsonObject().put("tags", new JsonArray().add(name))
                        .put(verdict == StoreWalk.Verdict.SKIPPED ? "skipped" : "problem", problem));
                if (!json) {
                    StoreWalk.print(out, name, verdict, problem);
                }
            }
        });
        if (json) {
            out.println(all.encodePrettily());
        }
        return counts.failed() == 0 ? 0 : Cli.FAILED;
    }
}
