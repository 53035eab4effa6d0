package io.snapgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/snapshot-format.md names every {@link Problem} a refusal can carry, as Problem's Javadoc promises. */
class ProblemDocsTest {
    @Test
    void everyProblemIsInTheFormatDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "snapshot-format.md"));
        for (Problem problem : Problem.values()) {
            assertThat(docs).as("docs/snapshot-format.md").contains("`" + problem.name() + "`");
        }
    }
}
