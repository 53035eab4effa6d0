package io.snapgate.gateway.dispatch;

import com.fasterxml.jackson.core.JsonParser;
import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.Utf8;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reading request JSON strictly: one object, no key twice (a proxy that kept the first and a gateway that kept
 * the last would disagree on what was asked), no unknown fields, fields of the right JSON type; a body only in
 * UTF-8 ({@link ValidText} checks the text of what was parsed).
 */
public final class StrictJson {
    private StrictJson() {
    }

    /**
     * A request body as a JSON object; an empty body is an empty object. Bytes that are not UTF-8 are refused,
     * naming the first bad one (Jackson would take an overlong or surrogate encoding as a character).
     */
    public static JsonObject object(Buffer body) {
        if (body == null || body.length() == 0) {
            return new JsonObject();
        }
        String problem = Utf8.problem(body.getBytes());
        if (problem != null) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "request body: " + problem);
        }
        return parse(() -> JacksonCodec.createParser(body));
    }

    /** A JSON text message (a WebSocket message, an event-bus message) as a JSON object; empty: an empty one. */
    public static JsonObject object(String text) {
        return text.isEmpty() ? new JsonObject() : parse(() -> JacksonCodec.createParser(text));
    }

    /** One object, no key twice. */
    private static JsonObject parse(Supplier<JsonParser> source) {
        Object value;
        try {
            JsonParser parser = source.get();
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            value = JacksonCodec.fromParser(parser, Object.class); // closes the parser; refuses trailing tokens
        } catch (DecodeException e) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "malformed JSON: " + firstLine(e.getMessage()));
        }
        if (!(value instanceof JsonObject object)) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "the body must be a JSON object, got "
                    + JsonArguments.describe(value));
        }
        return object;
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.replaceFirst("^Failed to decode: ?", "");
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** Refuses a field not in {@code allowed}. */
    public static void onlyFields(JsonObject object, Set<String> allowed) {
        onlyFields(object, allowed, Set.of());
    }

    /** Refuses a field in neither set (two sets, so a transport's own fields need no merged copy per message). */
    public static void onlyFields(JsonObject object, Set<String> allowed, Set<String> alsoAllowed) {
        for (String name : object.fieldNames()) {
            if (!allowed.contains(name) && !alsoAllowed.contains(name)) {
                throw new GatewayException(ErrorCode.BAD_REQUEST, "unknown field \"" + name + "\"; expected "
                        + String.join(", ", Stream.concat(allowed.stream(), alsoAllowed.stream()).sorted().toList()));
            }
        }
    }

    public static String string(JsonObject object, String field) {
        Object value = object.getValue(field);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "field \"" + field + "\" must be a non-empty string, got "
                    + JsonArguments.describe(value));
        }
        return s;
    }

    /** The array, or an empty one when the field is absent. */
    public static JsonArray array(JsonObject object, String field) {
        Object value = object.getValue(field);
        if (value == null && !object.containsKey(field)) {
            return new JsonArray();
        }
        if (!(value instanceof JsonArray a)) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "field \"" + field + "\" must be a JSON array, got "
                    + JsonArguments.describe(value));
        }
        return a;
    }

    /** A positive whole number, or null when the field is absent. */
    public static Long positiveLong(JsonObject object, String field) {
        Object value = object.getValue(field);
        if (value == null && !object.containsKey(field)) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "field \"" + field
                    + "\" must be a positive whole number, got " + JsonArguments.describe(value));
        }
        return ((Number) value).longValue();
    }
}
