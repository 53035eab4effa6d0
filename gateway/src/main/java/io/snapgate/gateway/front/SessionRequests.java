package io.snapgate.gateway.front;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.wire.Messages;
import io.snapgate.gateway.auth.Grant;
import io.snapgate.gateway.auth.Scope;
import io.snapgate.gateway.cluster.ClusterNode;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.dispatch.ValidText;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.pullonmiss.PullOnMiss;
import io.snapgate.gateway.session.SessionManager;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The session operations as every front offers them (the REST routes, the event bus): on this node's sessions, or
 * in a cluster forwarded to the node that owns the session (410 {@code SESSION_GONE} once that node is gone). Each
 * is admitted under the caller's {@code tenant} (its token's; null: the session's snapshot), on whichever node runs
 * it. Answers are the REST API's bodies.
 */
public final class SessionRequests {
    private static final Set<String> OPEN = Set.of(Messages.OP, "snapshot");
    private static final Set<String> CALL = Set.of(Messages.OP, "id", "function", "args", "deadlineMs");
    private static final Set<String> ON_SESSION = Set.of(Messages.OP, "id");
    private static final Set<String> SAVE = Set.of(Messages.OP, "id", "tag");

    private final SessionManager sessions;
    private final Optional<ClusterNode> cluster;
    private final PullOnMiss misses;

    public SessionRequests(SessionManager sessions, Optional<ClusterNode> cluster, PullOnMiss misses) {
        this.sessions = sessions;
        this.cluster = cluster;
        this.misses = misses;
    }

    /**
     * Opens a session on this node; in a cluster on a copy of the snapshot here, made first when needed; a tag
     * neither has pulled from the registry first, when the node is configured to.
     */
    public Future<JsonObject> open(String ref, String tenant) {
        return cluster.map(c -> c.localRef(ref)).orElse(Future.succeededFuture(ref))
                .compose(local -> misses.ready(local).map(local))
                .compose(local -> sessions.open(local, tenant));
    }

    /** {@code {result, durationMicros}} of a call in the session. */
    public Future<JsonObject> call(String id, String function, JsonArray args, Long deadlineMs, String tenant) {
        return onOwner(id, tenant, () -> Messages.sessionCall(id, function, args, deadlineMs))
                .orElseGet(() -> sessions.call(id, function, args, deadlineMs, tenant).map(CallResult::toJson));
    }

    public Future<JsonObject> restore(String id, String tenant) {
        return onOwner(id, tenant, () -> Messages.restore(id)).orElseGet(() -> sessions.restore(id, tenant));
    }

    /** Saves the session as snapshot {@code tag}; in a cluster on the session's own node. */
    public Future<JsonObject> save(String id, String tag, String tenant) {
        return onOwner(id, tenant, () -> Messages.save(id, tag)).orElseGet(() -> sessions.save(id, tag, tenant));
    }

    /** Ends the session once the operations that arrived before have run (a close runs outside admission). */
    public Future<Void> close(String id) {
        return onOwner(id, null, () -> Messages.close(id)).map(f -> f.<Void>mapEmpty())
                .orElseGet(() -> sessions.close(id));
    }

    /**
     * A session operation as a message ({@link Messages}: open, call, restore, save, close), checked as strictly as
     * the REST request it stands for; close answers {@code {}}. Save changes snapshots: it needs {@code grant} to
     * have the deploy scope, as its REST route does. The rest is admitted under the grant's tenant.
     */
    public Future<JsonObject> apply(JsonObject op, Grant grant) {
        ValidText.require(op);
        String kind = StrictJson.string(op, Messages.OP);
        switch (kind) {
            case "open" -> {
                StrictJson.onlyFields(op, OPEN);
                return open(StrictJson.string(op, "snapshot"), grant.tenant());
            }
            case "call" -> {
                StrictJson.onlyFields(op, CALL);
                return call(StrictJson.string(op, "id"), StrictJson.string(op, "function"),
                        StrictJson.array(op, "args"), StrictJson.positiveLong(op, "deadlineMs"), grant.tenant());
            }
            case "restore" -> {
                StrictJson.onlyFields(op, ON_SESSION);
                return restore(StrictJson.string(op, "id"), grant.tenant());
            }
            case "save" -> {
                grant.require(Scope.DEPLOY, "session operation save changes snapshots");
                StrictJson.onlyFields(op, SAVE);
                return save(StrictJson.string(op, "id"), StrictJson.string(op, "tag"), grant.tenant());
            }
            case "close" -> {
                StrictJson.onlyFields(op, ON_SESSION);
                return close(StrictJson.string(op, "id")).map(v -> new JsonObject());
            }
            default -> throw new GatewayException(ErrorCode.BAD_REQUEST, "unknown session operation \"" + kind
                    + "\"; expected open, call, restore, save or close");
        }
    }

    /**
     * In a cluster, the operation forwarded to the node that owns the session, unless it is this one. The message
     * is built only in a cluster: a single node's session calls pay nothing for it.
     */
    private Optional<Future<JsonObject>> onOwner(String id, String tenant, Supplier<JsonObject> op) {
        return cluster.flatMap(c -> c.onOwner(id, op.get(), tenant));
    }
}
