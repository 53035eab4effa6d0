package io.snapgate.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Assertions on gateway answers. */
public final class Responses {
    private Responses() {
    }

    /** Asserts the status and returns the JSON body. */
    public static JsonObject json(HttpResponse<Buffer> response, int status) {
        assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        return response.bodyAsJsonObject();
    }

    /** Asserts an error answer with this status and code; returns its {@code error} object. */
    public static JsonObject error(HttpResponse<Buffer> response, int status, String code) {
        JsonObject error = json(response, status).getJsonObject("error");
        assertThat(error).as("error body").isNotNull();
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("message")).isNotBlank().doesNotContain("\tat ");
        return error;
    }

    /** Asserts a successful call and returns its result. */
    public static Object result(HttpResponse<Buffer> response) {
        JsonObject body = json(response, 200);
        assertThat(body.getLong("durationMicros")).isNotNegative();
        return body.getValue("result");
    }
}
