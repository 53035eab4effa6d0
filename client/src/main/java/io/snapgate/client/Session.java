package io.snapgate.client;

import io.snapgate.client.wire.Messages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A session: one sandbox, pinned to one worker of one gateway node, whose state lives from call to call until it
 * is restored, closed, or idle for the gateway's session TTL. Its id is a secret (128 random bits). In a cluster
 * the session's requests go to its node; once that node has left they fail with {@code SESSION_GONE}.
 */
public final class Session {
    private final SnapgateClient client;
    private final JsonObject json;
    private final String id;

    Session(SnapgateClient client, JsonObject json) {
        this.client = client;
        this.json = json;
        this.id = json.getString("id");
    }

    public String id() {
        return id;
    }

    /** The digest of the snapshot the session started from. */
    public String snapshot() {
        return json.getString("snapshot");
    }

    public Instant created() {
        return Instant.parse(json.getString("created"));
    }

    /** How long the session may stay idle before the gateway ends it. */
    public Duration idleTtl() {
        return Duration.ofSeconds(json.getLong("idleTtlSeconds", 0L));
    }

    public List<FunctionInfo> functions() {
        return FunctionInfo.listFromJson(json.getJsonArray("functions"));
    }

    /** The gateway's description of the session when it was opened. */
    public JsonObject json() {
        return json;
    }

    /** Calls {@code function} in the session, with the gateway's default deadline. */
    public Future<CallResult> call(String function, Object... args) {
        return call(null, function, args);
    }

    /** Calls {@code function} in the session, stopped after {@code deadline} (null: the gateway's default). */
    public Future<CallResult> call(Duration deadline, String function, Object... args) {
        Long deadlineMs = SnapgateClient.millis(deadline);
        return client.session(id, Messages.sessionCall(id, function, Arguments.json(args), deadlineMs), deadlineMs)
                .map(CallResult::fromJson);
    }

    /** Puts the sandbox back to the snapshot the session started from (or was last saved as). */
    public Future<Void> restore() {
        return client.session(id, Messages.restore(id), null).mapEmpty();
    }

    /**
     * Saves the sandbox as it is now as snapshot {@code tag} (replacing what the tag named): every later sandbox of
     * that tag starts there. The session goes on from the saved state.
     */
    public Future<SnapshotInfo> saveAs(String tag) {
        return client.session(id, Messages.save(id, tag), null).map(SnapshotInfo::fromJson);
    }

    /** Ends the session and frees its sandbox. */
    public Future<Void> close() {
        return client.session(id, Messages.close(id), null).mapEmpty();
    }

    @Override
    public String toString() {
        return "session " + id;
    }
}
