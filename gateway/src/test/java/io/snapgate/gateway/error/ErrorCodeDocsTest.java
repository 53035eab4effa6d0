package io.snapgate.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.client.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/api.md's error table lists every code a client can get, with the status it comes with. */
class ErrorCodeDocsTest {
    @Test
    void everyErrorCodeHasItsRowInTheApiDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "api.md"));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(docs).as("docs/api.md's error table")
                    .contains("| " + code.status() + " | `" + code.name() + "` |");
        }
    }
}
