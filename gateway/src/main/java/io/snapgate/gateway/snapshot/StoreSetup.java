package io.snapgate.gateway.snapshot;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.store.SnapshotStore;

/** Opens the configured store, creating it when missing and installing the example guests when configured to. */
public final class StoreSetup {
    private StoreSetup() {
    }

    /** Blocking: may build the example guests (milliseconds each). */
    public static SnapshotStore open(GatewayConfig config, SnapshotBuilder builder) {
        SnapshotStore store = SnapshotStore.open(config.store());
        if (config.examples()) {
            ExampleGuests.installIfEmpty(store, builder);
        }
        return store;
    }

    /**
     * The store a command that only reads it (ls, call) uses: made, with the example guests, where serve would
     * install them (the default store); anywhere else it must exist, so a mistyped path is an error, not a new
     * empty store.
     */
    public static SnapshotStore openToRead(GatewayConfig config, SnapshotBuilder builder) {
        return config.examples() ? open(config, builder) : SnapshotStore.openExisting(config.store());
    }
}
