package io.snapgate.gateway.cli;

import io.snapgate.gateway.error.Errors;
import io.snapgate.store.IndexEntry;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.sandbox.Snapshot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads a store's snapshots one by one for the commands that report on them (ls, verify): a snapshot that does not
 * load is reported and the walk goes on, so one bad tag does not hide the others. What other tools put in the
 * layout (a container image, an index) is reported as skipped, which fails nothing.
 */
final class StoreWalk {
    /**
     * Why a reference did not load: it names no snapshot of the store, what it names is damaged, or it is not a
     * snapgate snapshot (skipped).
     */
    enum Verdict { UNKNOWN, DAMAGED, SKIPPED }

    /** What to do with each snapshot that loaded (closed after), and with each that did not. */
    interface Visitor {
        void loaded(String name, String digest, Snapshot snapshot, long nanos);

        void failed(String name, Verdict verdict, String problem);
    }

    /** How many did not load, by verdict. */
    record Counts(int damaged, int unknown, int skipped) {
        /** Damaged or unknown: what fails the command. */
        int failed() {
            return damaged + unknown;
        }
    }

    private StoreWalk() {
    }

    /**
     * Loads the snapshot each of {@code refs} names, or else every entry of the store's index (named by its tag,
     * or an untagged one by its digest), with the memory blob's sha256 checked when {@code verify}.
     */
    static Counts walk(SnapshotStore store, List<String> refs, boolean verify, Visitor visitor) {
        int[] counts = new int[Verdict.values().length];
        for (Map.Entry<String, String> named : (refs.isEmpty() ? entries(store) : given(refs)).entrySet()) {
            String name = named.getKey();
            if (named.getValue() != null) {
                counts[Verdict.SKIPPED.ordinal()]++;
                visitor.failed(name, Verdict.SKIPPED, Problem.NOT_A_SNAPSHOT.description() + ": " + named.getValue());
                continue;
            }
            long start = System.nanoTime();
            try {
                String digest = store.resolve(name);
                try (Snapshot snapshot = verify ? Snapshot.loadChecked(store, digest) : Snapshot.load(store, digest)) {
                    visitor.loaded(name, digest, snapshot, System.nanoTime() - start);
                }
            } catch (RuntimeException e) {
                if (!Errors.selfDescribing(e)) {
                    throw e;
                }
                Verdict verdict = verdict(e, !refs.isEmpty());
                counts[verdict.ordinal()]++;
                visitor.failed(name, verdict, Errors.describe(e));
            }
        }
        return new Counts(counts[Verdict.DAMAGED.ordinal()], counts[Verdict.UNKNOWN.ordinal()],
                counts[Verdict.SKIPPED.ordinal()]);
    }

    /** The line a command prints for a reference that did not load. */
    static void print(PrintWriter out, String name, Verdict verdict, String problem) {
        out.printf("%-24s %s  %s%n", name, verdict, problem);
    }

    /** The references as given, none known to be skipped (their loads tell). */
    private static Map<String, String> given(List<String> refs) {
        Map<String, String> named = new LinkedHashMap<>();
        refs.forEach(ref -> named.put(ref, null));
        return named;
    }

    /**
     * Every entry by name, sorted, with why it is not a snapshot (null when it is one). A name listed twice is one
     * line, loaded (and refused as a duplicate) when any of its entries is a snapshot.
     */
    private static Map<String, String> entries(SnapshotStore store) {
        Map<String, List<IndexEntry>> byName = new TreeMap<>();
        for (IndexEntry e : store.entries()) {
            byName.computeIfAbsent(e.name(), n -> new ArrayList<>()).add(e);
        }
        Map<String, String> named = new TreeMap<>();
        byName.forEach((name, entries) -> named.put(name, entries.stream().anyMatch(IndexEntry::snapshot) ? null
                : entries.get(0).notSnapshot()));
        return named;
    }

    /** A reference given on the command line may name nothing; one from the index names what is there. */
    private static Verdict verdict(RuntimeException e, boolean given) {
        Problem problem = e instanceof SnapshotFormatException f ? f.problem() : null;
        if (problem == Problem.NOT_A_SNAPSHOT) {
            return Verdict.SKIPPED;
        }
        boolean namesNothing = problem == Problem.UNKNOWN_TAG || problem == Problem.INVALID_TAG
                || problem == Problem.MALFORMED_DIGEST;
        return given && namesNothing ? Verdict.UNKNOWN : Verdict.DAMAGED;
    }
}
