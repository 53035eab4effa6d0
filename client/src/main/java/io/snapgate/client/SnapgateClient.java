package io.snapgate.client;

import io.snapgate.client.wire.Addresses;
import io.snapgate.client.wire.Messages;
import io.snapgate.client.wire.SessionIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * snapgate over the Vert.x event bus, with Vert.x futures: stateless calls with Java values, sessions, snapshot
 * listings. Works in a gateway's own Vert.x and in any Vert.x of the gateways' Hazelcast cluster (an application
 * joined as a lite member: client/README.md). A failure is a {@link SnapgateException} carrying the
 * {@link ErrorCode}, message and details the REST API gives; a gateway dying under a request makes it go once more
 * to another gateway, or fail with {@code UNAVAILABLE}.
 *
 * <pre>{@code
 * SnapgateClient snapgate = SnapgateClient.create(vertx);
 * snapgate.call("hello", "greet", "bus").map(CallResult::asString);            // "Hello, bus!"
 * snapgate.call("rules", "check", new JsonObject().put("amount", 5000))         // a JavaScript function
 *         .map(CallResult::asJsonObject);                                      // {"decision":"review",...}
 * snapgate.call(Duration.ofMillis(100), "testguest", "spin")
 *         .onFailure(e -> ((SnapgateException) e).code());                     // DEADLINE_EXCEEDED
 * }</pre>
 */
public final class SnapgateClient {
    /** How long a request without a deadline of its own may wait for its answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Requests requests;
    private final long timeoutMs;

    private SnapgateClient(Vertx vertx, Duration timeout, String token) {
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, got " + timeout);
        }
        this.requests = new Requests(vertx, token);
        this.timeoutMs = timeout.toMillis();
    }

    /** A client on {@code vertx}'s event bus; requests without a deadline wait {@link #DEFAULT_TIMEOUT} at most. */
    public static SnapgateClient create(Vertx vertx) {
        return create(vertx, DEFAULT_TIMEOUT);
    }

    /** A client whose requests without a deadline wait {@code timeout} at most for their answer. */
    public static SnapgateClient create(Vertx vertx, Duration timeout) {
        return new SnapgateClient(vertx, timeout, null);
    }

    /**
     * A client that sends {@code token} with every request ({@code Authorization: Bearer <token>}): on gateways with
     * tokens, its scope decides what the client may do (saving a session as a snapshot needs {@code deploy}), and
     * its calls are admitted under it. Read the token from configuration, never from a command line.
     */
    public static SnapgateClient create(Vertx vertx, Duration timeout, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a token must not be empty");
        }
        return new SnapgateClient(vertx, timeout, token);
    }

    /** Calls {@code function} of a snapshot (tag or digest) with the gateway's default deadline. */
    public Future<CallResult> call(String snapshot, String function, Object... args) {
        return call(null, snapshot, function, args);
    }

    /**
     * Calls {@code function} of a snapshot (tag or digest), stopped after {@code deadline} (capped by the gateway's
     * maximum; null: its default). Arguments: numbers, String, Boolean, byte[] (bytes), JSON values; see
     * docs/api.md, "Values". A {@code json} parameter (a JavaScript function's) takes any JSON value: a
     * {@link io.vertx.core.json.JsonObject} or {@code Map}, a {@link io.vertx.core.json.JsonArray} or {@code List},
     * a String, a number, a Boolean or null; its result is read with {@link CallResult#asJsonObject()} and the
     * like. Every call starts from the snapshot.
     */
    public Future<CallResult> call(Duration deadline, String snapshot, String function, Object... args) {
        Long deadlineMs = millis(deadline);
        return requests.send(Addresses.CALL, Messages.call(snapshot, function, Arguments.json(args), deadlineMs),
                null, timeout(deadlineMs)).map(CallResult::fromJson);
    }

    /** Opens a session on a snapshot: one sandbox whose state lives from call to call. */
    public Future<Session> openSession(String snapshot) {
        return requests.send(Addresses.SESSION, Messages.open(snapshot), null, timeoutMs)
                .map(json -> new Session(this, json));
    }

    /** Every snapshot a tag names (in a cluster, the cluster's). */
    public Future<List<SnapshotInfo>> snapshots() {
        return requests.send(Addresses.SNAPSHOTS, Messages.list(), null, timeoutMs).map(json -> {
            List<SnapshotInfo> list = new ArrayList<>();
            json.getJsonArray("snapshots", new JsonArray()).forEach(s -> list.add(SnapshotInfo.fromJson(
                    (JsonObject) s)));
            return List.copyOf(list);
        });
    }

    /** One snapshot by tag or digest, with what a description adds ({@link SnapshotInfo#json()}). */
    public Future<SnapshotInfo> snapshot(String ref) {
        return requests.send(Addresses.SNAPSHOTS, Messages.describe(ref), null, timeoutMs)
                .map(SnapshotInfo::fromJson);
    }

    /** Stops listening to the cluster's gateways; requests in flight still get their answers. */
    public Future<Void> close() {
        return requests.close();
    }

    /** A session operation, sent to the node that holds the session. */
    Future<JsonObject> session(String id, JsonObject op, Long deadlineMs) {
        return requests.send(Addresses.SESSION, op, SessionIds.node(id), timeout(deadlineMs));
    }

    private long timeout(Long deadlineMs) {
        return deadlineMs == null ? timeoutMs : deadlineMs + Requests.MARGIN_MS;
    }

    static Long millis(Duration deadline) {
        if (deadline == null) {
            return null;
        }
        if (deadline.toMillis() < 1) {
            throw new IllegalArgumentException("a deadline must be at least 1 ms, got " + deadline);
        }
        return deadline.toMillis();
    }
}
