package io.snapgate.vmm.vcpu.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapgate.vmm.testing.CConstants;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        assumeTrue(Files.exists(HEADER) && CConstants.gccRuns(),
                "needs gcc and the Unicorn headers: apt-get install gcc libunicorn-dev");
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
        Map<String, String> expressions = new LinkedHashMap<>();
        for (String name : names) {
            expressions.put(name, EXPRESSIONS.getOrDefault(name, name));
        }
        return CConstants.evaluate(dir, List.of("unicorn/unicorn.h"), expressions);
    }
}
