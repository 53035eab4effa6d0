package io.snapgate.gateway.dispatch;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.abi.Utf8;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Refuses a parsed request whose text is not valid Unicode: a string or a field name, at any depth, with an
 * unpaired surrogate (a JSON escape such as {@code "\ud800"}, or a Java string put in an event-bus message).
 * Nothing downstream could carry it unaltered: UTF-8 encoders write {@code ?} in its place. The refusal names
 * where ({@code args[1]: unpaired surrogate \ud800 at character 3}): INVALID_ARGUMENT with {@code argument}
 * inside {@code args}, BAD_REQUEST elsewhere.
 */
public final class ValidText {
    private ValidText() {
    }

    public static void require(JsonObject message) {
        for (String name : message.fieldNames()) {
            check(name, "a field name", null);
            if ("args".equals(name) && message.getValue(name) instanceof JsonArray args) {
                for (int i = 0; i < args.size(); i++) {
                    walk(args.getValue(i), "args[" + i + "]", i);
                }
            } else {
                walk(message.getValue(name), name, null);
            }
        }
    }

    /** {@code argument}: the index of the argument {@code value} is in, or null outside {@code args}. */
    private static void walk(Object value, String path, Integer argument) {
        if (value instanceof String s) {
            check(s, path, argument);
        } else if (value instanceof JsonObject object) {
            for (String name : object.fieldNames()) {
                check(name, "a field name in " + path, argument);
                walk(object.getValue(name), path + "." + name, argument);
            }
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                walk(array.getValue(i), path + "[" + i + "]", argument);
            }
        }
    }

    private static void check(String text, String where, Integer argument) {
        String problem = Utf8.problem(text);
        if (problem == null) {
            return;
        }
        if (argument == null) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, where + ": " + problem);
        }
        throw new GatewayException(ErrorCode.INVALID_ARGUMENT, where + ": " + problem,
                new JsonObject().put("argument", argument), 0);
    }
}
