package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Snapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapgate verify}: a checked load of each snapshot, the memory blob's sha256 included. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks snapshots as a checked load does: every structural check, and the sha256 of every",
                "blob, memory included. Exits 1 when any snapshot is damaged, naming what is wrong with it.",
                "What other tools put in the store (a container image, an index) is listed as skipped."})
public final class VerifyCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TAG", arity = "0..*", description = "the tags or digests to check (default: every tag)")
    private List<String> tags = new ArrayList<>();

    @Option(names = "--json", description = "print a JSON array instead of lines")
    private boolean json;

    @Override
    public Integer call() {
        GatewayConfig config = config();
        SnapshotStore store = SnapshotStore.openExisting(config.store());
        PrintWriter out = out();
        JsonArray all = new JsonArray();
        StoreWalk.Counts counts = StoreWalk.walk(store, tags, true, new StoreWalk.Visitor() {
            @Override
            public void loaded(String name, String digest, Snapshot snapshot, long nanos) {
                all.add(new JsonObject().put("tag", name).put("digest", digest).put("ok", true)
                        .put("memoryBytes", snapshot.memorySize()).put("millis", nanos / 1_000_000));
                if (!json) {
                    out.printf("%-24s ok  %s, %d KiB of memory hashed in %d ms%n", name, digest,
                            snapshot.memorySize() / 1024, nanos / 1_000_000);
                }
            }

            @Override
            public void failed(String name, StoreWalk.Verdict verdict, String problem) {
                boolean skipped = verdict == StoreWalk.Verdict.SKIPPED;
                all.add(new JsonObject().put("tag", name).put("ok", skipped).put(skipped ? "skipped" : "problem",
                        problem));
                if (!json) {
                    StoreWalk.print(out, name, verdict, problem);
                }
            }
        });
        if (json) {
            out.println(all.encodePrettily());
        } else {
            int snapshots = all.size() - counts.skipped();
            out.printf("%d of %d snapshots verified, %d damaged%s%s%n", snapshots - counts.failed(), snapshots,
                    counts.damaged(), counts.unknown() == 0 ? "" : ", " + counts.unknown() + " unknown",
                    counts.skipped() == 0 ? "" : ", " + counts.skipped() + " skipped (not snapgate snapshots)");
        }
        return counts.failed() == 0 ? 0 : Cli.FAILED;
    }
}
