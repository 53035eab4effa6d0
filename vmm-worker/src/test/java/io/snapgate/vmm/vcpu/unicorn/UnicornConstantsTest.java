package io.snapgate.vmm.vcpu.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Unicorn value the backend uses, compared with what the C compiler makes of unicorn.h and x86.h: the
 * Java side is hand-written, and a wrong register id or error code would fail quietly at run time.
 */
class UnicornConstantsTest {
    private static final Path HEADER = Path.of("/usr/include/unicorn/unicorn.h");

    /** Java constants whose value is a C expression rather than a name from the headers. */
    private static final Map<String, String> EXPRESSIONS = Map.of(
            "UC_CTL_TB_REMOVE_CACHE_WRITE", "UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)",
            "UC_X86_MSR_SIZE", "sizeof(uc_x86_msr)",
            "UC_X86_MSR_VALUE_OFFSET", "offsetof(uc_x86_msr, value)");

    @TempDir
    Path dir;

    @Test
    void javaConstantsEqualTheHeaders() throws Exception {
        assumeTrue(Files.exists(HEADER) && gccRuns(), "needs gcc and the Unicorn headers: apt-get install gcc"
                + " libunicorn-dev");
        Map<String, Long> java = javaConstants();

        Map<String, Long> c = compileAndRun(java.keySet());

        assertThat(c).isEqualTo(java);
    }

    /** Name in C (or a key of EXPRESSIONS) to the Java value. */
    private static Map<String, Long> javaConstants() throws IllegalAccessException {
        Map<String, Long> constants = new LinkedHashMap<>();
        for (Field field : UnicornConstants.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                constants.put(field.getName(), (long) field.getInt(null));
            }
        }
        for (X86Register register : X86Register.values()) {
            constants.put("UC_X86_REG_" + register.name(), (long) register.id);
        }
        return constants;
    }

    private Map<String, Long> compileAndRun(Iterable<String> names) throws IOException, InterruptedException {
        StringBuilder program = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <unicorn/unicorn.h>
                int main(void) {
                """);
        for (String name : names) {
            program.append(String.format("    printf(\"%s %%lld\\n\", (long long) (%s));%n", name,
                    EXPRESSIONS.getOrDefault(name, name)));
        }
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

    private static boolean gccRuns() {
        try {
            return new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
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
