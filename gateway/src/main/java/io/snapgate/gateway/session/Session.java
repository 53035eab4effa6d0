package io.snapgate.gateway.session;

import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.SnapshotJson;
import io.snapgate.gateway.worker.Sequence;
import io.snapgate.gateway.worker.Worker;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/** A sandbox pinned to one worker, its state kept between calls, ended on request or after an idle TTL. */
final class Session {
    final String id;
    final SnapshotEntry entry;
    final Worker worker;
    /** Its operations, in the order they arrived. */
    final Sequence order = new Sequence();
    final Instant created = Instant.now();
    private volatile long lastUsedNanos = System.nanoTime();

    Session(String id, SnapshotEntry entry, Worker worker) {
        this.id = id;
        this.entry = entry;
        this.worker = worker;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    boolean idleLongerThan(Duration ttl, long now) {
        return now - lastUsedNanos > ttl.toNanos();
    }

    JsonObject toJson(Duration ttl) {
        return new JsonObject()
                .put("id", id)
                .put("snapshot", entry.digest())
                .put("created", created.toString())
                .put("idleTtlSeconds", ttl.toSeconds())
                .put("functions", SnapshotJson.functions(entry.snapshot().functions()));
    }
}
