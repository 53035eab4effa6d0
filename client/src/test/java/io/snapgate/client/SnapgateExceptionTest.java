package io.snapgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The error object of REST bodies and event-bus failures, in and out. */
class SnapgateExceptionTest {
    @Test
    void anErrorKeepsItsCodeMessageAndDetails() {
        JsonObject json = new JsonObject().put("code", "INVALID_ARGUMENT").put("message", "argument 1 ...")
                .put("argument", 1).put("expected", "i32");
        SnapgateException e = SnapgateException.fromJson(json);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("argument 1 ...");
        assertThat(e.details()).isEqualTo(new JsonObject().put("argument", 1).put("expected", "i32"));
        assertThat(e.toJson()).isEqualTo(json);
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void aCodeThisClientDoesNotKnowIsInternalAndNamedInTheMessage() {
        SnapgateException e = SnapgateException.fromJson(new JsonObject().put("code", "TEAPOT").put("message", "no"));
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.getMessage()).isEqualTo("error TEAPOT: no");
    }
}
