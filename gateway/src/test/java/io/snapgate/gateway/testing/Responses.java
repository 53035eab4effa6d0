package io.snapgate.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Assertions on gateway answers. */
public final class Responses {
    private static final Pattern SERVER_TIMING =
            Pattern.compile("gateway;dur=(\\d+)\\.(\\d{3}), guest;dur=(\\d+)\\.(\\d{3})");

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

    /**
     * Asserts a successful call, with a Server-Timing header whose guest time is the body's {@code durationMicros}
     * and lies within the gateway's time, and returns its result.
     */
    public static Object result(HttpResponse<Buffer> response) {
        JsonObject body = json(response, 200);
        long guestMicros = body.getLong("durationMicros");
        assertThat(guestMicros).isNotNegative();
        Matcher timing = SERVER_TIMING.matcher(String.valueOf(response.getHeader("Server-Timing")));
        assertThat(timing.matches()).as("Server-Timing: %s", response.getHeader("Server-Timing")).isTrue();
        long gatewayMicros = Long.parseLong(timing.group(1) + timing.group(2));
        assertThat(Long.parseLong(timing.group(3) + timing.group(4))).isEqualTo(guestMicros);
        assertThat(gatewayMicros).isGreaterThanOrEqualTo(guestMicros);
        return body.getValue("result");
    }
}
