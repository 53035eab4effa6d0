package io.snapgate.gateway.eventbus;

import io.snapgate.client.ErrorCode;
import io.snapgate.client.wire.Addresses;
import io.snapgate.gateway.auth.BusAuth;
import io.snapgate.gateway.auth.Grant;
import io.snapgate.gateway.dispatch.CallRequest;
import io.snapgate.gateway.dispatch.CallResult;
import io.snapgate.gateway.dispatch.Dispatcher;
import io.snapgate.gateway.dispatch.StrictJson;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.gateway.front.SessionRequests;
import io.snapgate.gateway.front.SnapshotQueries;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The event-bus front ({@link Addresses}): stateless calls at {@code snapgate.call}, session operations at
 * {@code snapgate.session}, snapshot queries at {@code snapgate.snapshots}, each a JsonObject (or its JSON text)
 * answered with the REST answer's JSON or failed in the wire's format. In a cluster each address is also served at
 * its per-node name ({@code snapgate.call.<node>}), so that a client knows which node has its request. A message's
 * {@code Authorization} header gives it a token's grant ({@link BusAuth}): what changes snapshots (a session saved
 * as a tag) needs the deploy scope, and calls are admitted under the token.
 */
public final class EventBusFront extends VerticleBase {
    private final Map<String, BiFunction<JsonObject, Grant, Future<JsonObject>>> handlers;
    private final BusAuth auth;
    private final Optional<String> node;
    private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

    public EventBusFront(Dispatcher dispatcher, SessionRequests sessions, SnapshotQueries snapshots, BusAuth auth,
            Optional<String> node) {
        this.handlers = Map.of(
                Addresses.CALL, (message, grant) -> dispatcher.call(CallRequest.fromMessage(message, Set.of())
                        .withTenant(grant.tenant())).map(CallResult::toJson),
                Addresses.SESSION, sessions::apply,
                Addresses.SNAPSHOTS, (query, grant) -> snapshots.apply(query)); // reads only
        this.auth = auth;
        this.node = node;
    }

    @Override
    public Future<?> start() {
        handlers.forEach((address, handler) -> {
            consume(address, handler);
            node.ifPresent(n -> consume(Addresses.onNode(address, n), handler));
        });
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    }

    private void consume(String address, BiFunction<JsonObject, Grant, Future<JsonObject>> handler) {
        consumers.add(vertx.eventBus().consumer(address, message -> Replies.answer(message,
                Replies.run(() -> handler.apply(body(address, message.body()), auth.grant(message.headers()))))));
    }

    @Override
    public Future<?> stop() {
        return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
    }

    private static JsonObject body(String address, Object body) {
        if (body instanceof JsonObject object) {
            return object;
        }
        if (body instanceof String text) {
            return StrictJson.object(text);
        }
        throw new GatewayException(ErrorCode.BAD_REQUEST, "send a JsonObject (or its JSON text) to " + address);
    }
}
