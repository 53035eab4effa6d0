package io.snapgate.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A function a snapshot exports: its name, parameter and return types ({@code i32}, {@code string}, ...) and its
 * signature as text ({@code add(i32, i32) -> i32}).
 */
public record FunctionInfo(String name, List<String> parameters, String returns, String signature) {
    public FunctionInfo {
        parameters = List.copyOf(parameters);
    }

    static FunctionInfo fromJson(JsonObject json) {
        List<String> parameters = new ArrayList<>();
        json.getJsonArray("parameters", new JsonArray()).forEach(p -> parameters.add(String.valueOf(p)));
        return new FunctionInfo(json.getString("name"), parameters, json.getString("returns"),
                json.getString("signature"));
    }

    static List<FunctionInfo> listFromJson(JsonArray array) {
        List<FunctionInfo> functions = new ArrayList<>();
        if (array != null) {
            array.forEach(f -> functions.add(fromJson((JsonObject) f)));
        }
        return List.copyOf(functions);
    }
}
