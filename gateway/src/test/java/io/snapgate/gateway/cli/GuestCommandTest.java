package io.snapgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.vmm.sandbox.GuestErrorException;
import io.snapgate.vmm.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapgate guest}: guests written and built in a folder outside this repository with the SDK the jar
 * carries (gcc, make and musl-dev do the work), then run in a sandbox.
 */
class GuestCommandTest {
    /** Shared by the tests, so the SDK is compiled into it once. */
    @TempDir
    static Path cache;

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(Map.of("XDG_CACHE_HOME", cache.toString()), args);
    }

    /** Builds {@code elf} from sources, asserting it worked; returns the run. */
    private static CliRun build(Path elf, Path... sources) {
        String[] args = new String[sources.length + 4];
        args[0] = "guest";
        args[1] = "build";
        for (int i = 0; i < sources.length; i++) {
            args[i + 2] = sources[i].toString();
        }
        args[sources.length + 2] = "-o";
        args[sources.length + 3] = elf.toString();
        CliRun built = run(args);
        assertThat(built.status()).as(built.err()).isZero();
        assertThat(built.out()).startsWith("built " + elf + " (");
        return built;
    }

    @Test
    void helpListsTheSubcommands() {
        assertThat(run("guest").out()).contains("Usage: snapgate guest", "new", "build", "sdk");
        assertThat(run("guest", "build", "--help").out()).contains("--output", "--verbose", "musl-dev");
    }

    @Test
    void theStarterBuildsAndAnswers() throws IOException {
        CliRun created = run("guest", "new", "starter", "--dir", dir.toString());
        assertThat(created.status()).as(created.err()).isZero();
        Path source = dir.resolve("starter.c");
        assertThat(Files.readString(source)).contains("snapgate guest build starter.c -o starter.elf");
        assertThat(run("guest", "new", "starter", "--dir", dir.toString()).err()).contains("exists; not overwritten");
        assertThat(run("guest", "new", "no spaces", "--dir", dir.toString()).status()).isEqualTo(Cli.USAGE);

        build(dir.resolve("starter.elf"), source);
        List<String> log = new CopyOnWriteArrayList<>();
        try (Sandbox sandbox = Sandbox.builder(dir.resolve("starter.elf"))
                .log((level, message) -> log.add(level + ":" + message)).build()) {
            assertThat(sandbox.call("greet", "world")).isEqualTo("Hello, world!");
        }
        assertThat(log).containsExactly("2:greeting world");
    }

    @Test
    void aGuestOfSeveralFilesUsesTheCLibrary() throws IOException {
        Files.writeString(dir.resolve("words.h"), "#include <stddef.h>\nsize_t sort_words(char *text);\n");
        Files.writeString(dir.resolve("words.c"), """
                #include <stdlib.h>
                #include <string.h>
                #include "words.h"

                static int by_text(const void *a, const void *b)
                {
                    return strcmp(*(char *const *)a, *(char *const *)b);
                }

                /* Sorts the space-separated words of text in place; returns how many there are. */
                size_t sort_words(char *text)
                {
                    char *words[64], *save = NULL;
                    size_t n = 0;
                    for (char *w = strtok_r(text, " ", &save); w != NULL && n < 64; w = strtok_r(NULL, " ", &save))
                        words[n++] = strdup(w);
                    qsort(words, n, sizeof words[0], by_text);
                    text[0] = '\\0';
                    for (size_t i = 0; i < n; i++) {
                        strcat(strcat(text, i == 0 ? "" : " "), words[i]);
                        free(words[i]);
                    }
                    return n;
                }
                """);
        Files.writeString(dir.resolve("sorter.c"), """
                #include <stdio.h>
                #include <snapgate.h>
                #include "words.h"

                static sg_value unused(const sg_value *args)
                {
                    return sg_void();
                }

                static sg_value sort(const sg_value *args)
                {
                    static char text[1024];
                    if (args[0].as.buf.len >= sizeof text)
                        return sg_error(SG_ERR_USER, "sort: too long");
                    memcpy(text, args[0].as.buf.ptr, args[0].as.buf.len);
                    text[args[0].as.buf.len] = '\\0';
                    fprintf(stderr, "sorted %zu words\\n", sort_words(text));
                    return sg_string(text);
                }

                void snapgate_init(void)
                {
                    sg_register("sort", sort, SG_STRING, 1, SG_STRING);
                    sg_register("unused", unused, SG_VOID, 0);
                }
                """);
        Path elf = dir.resolve("out").resolve("sorter.elf");
        Files.createDirectories(elf.getParent());
        assertThat(build(elf, dir.resolve("sorter.c"), dir.resolve("words.c")).err())
                .as("a warning is shown, and does not stop the build").contains("warning: unused parameter");
        List<String> log = new CopyOnWriteArrayList<>();
        try (Sandbox sandbox = Sandbox.builder(elf).log((level, message) -> log.add(level + ":" + message)).build()) {
            assertThat(sandbox.call("sort", "pear apple fig banana")).isEqualTo("apple banana fig pear");
            assertThat(catchError(sandbox, "x".repeat(2000))).isEqualTo("sort: too long");
        }
        assertThat(log).containsExactly("3:sorted 4 words");
    }

    private static String catchError(Sandbox sandbox, String arg) {
        try {
            sandbox.call("sort", arg);
            return null;
        } catch (GuestErrorException e) {
            return e.guestMessage();
        }
    }

    @Test
    void compileErrorsAndOsCallsFailTheBuildWithTheReason() throws IOException {
        Files.writeString(dir.resolve("broken.c"), "#include <snapgate.h>\nvoid snapgate_init(void) { oops }\n");
        CliRun broken = run("guest", "build", dir.resolve("broken.c").toString());
        assertThat(broken.status()).isEqualTo(Cli.FAILED);
        assertThat(broken.err()).contains("broken.c:2", "error:", "broken.elf was not built");
        assertThat(dir.resolve("broken.elf")).doesNotExist();

        Files.writeString(dir.resolve("uname.c"), """
                #include <sys/utsname.h>
                #include <snapgate.h>

                static sg_value host(const sg_value *args)
                {
                    (void)args;
                    static struct utsname u;
                    uname(&u);
                    return sg_string(u.nodename);
                }

                void snapgate_init(void)
                {
                    sg_register("host", host, SG_STRING, 0);
                }
                """);
        CliRun os = run("guest", "build", dir.resolve("uname.c").toString());
        assertThat(os.status()).isEqualTo(Cli.FAILED);
        assertThat(os.err()).contains("these functions make system calls, which need an OS a guest does not have:"
                + " uname");
        assertThat(dir.resolve("uname.elf")).as("an ELF that fails the checks is deleted").doesNotExist();

        assertThat(run("guest", "build", dir.resolve("missing.c").toString()).err())
                .contains("snapgate guest build: no source file " + dir.resolve("missing.c"));
        Files.writeString(dir.resolve("a b.c"), "");
        assertThat(run("guest", "build", dir.resolve("a b.c").toString()).err())
                .contains("make cannot take the path " + dir.resolve("a b.c"));
    }

    @Test
    void theSdkFolderBuildsWithMakeItself() throws IOException, InterruptedException {
        Path sdk = dir.resolve("sdk");
        CliRun wrote = run("guest", "sdk", sdk.toString());
        assertThat(wrote.status()).as(wrote.err()).isZero();
        assertThat(sdk.resolve("include/snapgate.h")).isRegularFile();
        Files.writeString(dir.resolve("add.c"), """
                #include <snapgate.h>

                static sg_value add(const sg_value *args)
                {
                    return sg_i64(strtol("40", NULL, 10) + args[0].as.i64);
                }

                void snapgate_init(void)
                {
                    sg_register("add", add, SG_I64, 1, SG_I64);
                }
                """);
        Process make = new ProcessBuilder("make", "-f", sdk.resolve("guest.mk").toString(), "ELF=add.elf",
                "SOURCES=add.c").directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(make.getInputStream().readAllBytes());
        assertThat(make.waitFor()).as(output).isZero();
        try (Sandbox sandbox = Sandbox.builder(dir.resolve("add.elf")).build()) {
            assertThat(sandbox.call("add", 2L)).isEqualTo(42L);
        }
    }
}
