package io.snapgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node on its own serves every route of the OpenAPI document but those marked cluster-only. */
class OpenApiSingleNodeTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void aSingleNodeServesTheDocumentsRoutesButTheClusterOnes() throws IOException {
        JsonObject document;
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(OpenApiRoute.RESOURCE)) {
            document = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(gw.get("/v1/openapi.json").bodyAsJsonObject()).isEqualTo(document);
        assertThat(OpenApiTest.served(gw.gateway().routes())).isEqualTo(OpenApiTest.documented(document, false))
                .isNotEqualTo(OpenApiTest.documented(document, true));
    }
}
