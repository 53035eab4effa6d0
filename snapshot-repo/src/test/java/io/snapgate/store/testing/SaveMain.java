package io.snapgate.store.testing;

import io.snapgate.store.SnapshotStore;
import java.nio.file.Path;

/**
 * Saves {@code count} snapshots tagged {@code <prefix>-<i>} into a store, from its own JVM, for the
 * two-process concurrency test. Arguments: store directory, prefix, count, seed.
 */
public final class SaveMain {
    private SaveMain() {
    }

    public static void main(String[] args) {
        SnapshotStore store = SnapshotStore.open(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        for (int i = 0; i < count; i++) {
            store.save(args[1] + "-" + i, Fixtures.config(), Fixtures.memory(seed + i));
        }
        System.out.println("saved " + count);
    }
}
