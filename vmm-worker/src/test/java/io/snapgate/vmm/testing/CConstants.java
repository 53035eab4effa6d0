package io.snapgate.vmm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the C compiler makes of header values: a test writes a program that prints each C expression, compiles
 * it with gcc and compares with its hand-written Java constants.
 */
public final class CConstants {
    private CConstants() {
    }

    public static boolean gccRuns() {
        try {
            return new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Compiles and runs, in {@code dir}, a program that includes {@code headers} and prints every expression of
     * {@code expressions} (name to C expression) as a signed 64-bit number; returns name to value.
     */
    public static Map<String, Long> evaluate(Path dir, List<String> headers, Map<String, String> expressions)
            throws IOException, InterruptedException {
        StringBuilder program = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n");
        for (String header : headers) {
            program.append("#include <").append(header).append(">\n");
        }
        program.append("int main(void) {\n");
        expressions.forEach((name, expression) -> program.append(String.format(
                "    printf(\"%s %%lld\\n\", (long long) (%s));%n", name, expression)));
        program.append("    return 0;\n}\n");
        Path source = Files.writeString(dir.resolve("constants.c"), program);
        Path binary = dir.resolve("constants");

        execute(List.of("gcc", "-o", binary.toString(), source.toString()));
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : execute(List.of(binary.toString())).split("\n")) {
            String[] parts = line.split(" ");
            values.put(parts[0], Long.parseLong(parts[1]));
        }
        return values;
    }

    /** Runs a command; returns its output, or fails with it. */
    private static String execute(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s failed:%n%s", command, output).isZero();
        return output;
    }
}
