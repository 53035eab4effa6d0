package io.snapgate.gateway.cli;

import io.snapgate.gateway.error.Errors;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Snapshot;
import java.io.PrintWriter;
import java.util.List;

/**
 * Loads a store's snapshots one by one for the commands that report on them (ls, verify): a snapshot that does not
 * load is reported and the walk goes on, so one bad tag does not hide the others.
 */
final class StoreWalk {
    /** Why a reference did not load: it names no snapshot of the store, or what it names is damaged. */
    enum Verdict { UNKNOWN, DAMAGED }

    /** What to do with each snapshot that loaded (closed after), and with each that did not. */
    interface Visitor {
        void loaded(String tag, String digest, Snapshot snapshot, long nanos);

        void failed(String tag, Verdict verdict, String problem);
    }

    private StoreWalk() {
    }

    /**
     * Loads the snapshot of every tag in {@code tags} (all of the store's when empty), with the memory blob's
     * sha256 checked when {@code verify}; returns how many did not load.
     */
    static int walk(SnapshotStore store, List<String> tags, boolean verify, Visitor visitor) {
        int failed = 0;
        for (String tag : tags.isEmpty() ? store.tags() : tags) {
            long start = System.nanoTime();
            try {
                String digest = store.resolve(tag);
                try (Snapshot snapshot = verify ? Snapshot.loadChecked(store, digest) : Snapshot.load(store, digest)) {
                    visitor.loaded(tag, digest, snapshot, System.nanoTime() - start);
                }
            } catch (RuntimeException e) {
                if (!Errors.selfDescribing(e)) {
                    throw e;
                }
                failed++;
                visitor.failed(tag, namesNothing(e) ? Verdict.UNKNOWN : Verdict.DAMAGED, Errors.describe(e));
            }
        }
        return failed;
    }

    /** The line a command prints for a reference that did not load. */
    static void print(PrintWriter out, String tag, Verdict verdict, String problem) {
        out.printf("%-24s %s  %s%n", tag, verdict, problem);
    }

    private static boolean namesNothing(RuntimeException e) {
        return e instanceof SnapshotFormatException f && (f.problem() == Problem.UNKNOWN_TAG
                || f.problem() == Problem.INVALID_TAG || f.problem() == Problem.MALFORMED_DIGEST);
    }
}
