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
}
