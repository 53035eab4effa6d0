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
                "blob, memory included. Exits 1 when any snapshot is damaged, naming what is wrong with it."})
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
        int[] unknown = {0};
        int failed = StoreWalk.walk(store, tags, true, new StoreWalk.Visitor() {
            @Override
            public void loaded(String tag, String digest, Snapshot snapshot, long nanos) {
                all.add(new JsonObject().put("tag", tag).put("digest", digest).put("ok", true)
                        .put("memoryBytes", snapshot.memorySize()).put("millis", nanos / 1_000_000));
                if (!json) {
                    out.printf("%-24s ok  %s, %d KiB of memory hashed in %d ms%n", tag, digest,
                            snapshot.memorySize() / 1024, nanos / 1_000_000);
                }
            }

            @Override
            public void failed(String tag, StoreWalk.Verdict verdict, String problem) {
                all.add(new JsonObject().put("tag", tag).put("ok", false).put("problem", problem));
                if (verdict == StoreWalk.Verdict.UNKNOWN) {
                    unknown[0]++;
                }
                if (!json) {
                    StoreWalk.print(out, tag, verdict, problem);
                }
            }
        });
        if (json) {
            out.println(all.encodePrettily());
        } else {
            out.printf("%d of %d snapshots verified, %d damaged%s%n", all.size() - failed, all.size(),
                    failed - unknown[0], unknown[0] == 0 ? "" : ", " + unknown[0] + " unknown");
        }
        return failed == 0 ? 0 : Cli.FAILED;
    }
}
