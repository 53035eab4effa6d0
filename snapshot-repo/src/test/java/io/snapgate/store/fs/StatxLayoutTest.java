package io.snapgate.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles a C program printing the kernel's {@code struct statx} layout and compares it with {@link Statx}. */
class StatxLayoutTest {
    private static final String PROGRAM = """
            #define _GNU_SOURCE
            #include <stdio.h>
            #include <stddef.h>
            #include <fcntl.h>
            #include <sys/stat.h>
            #include <sys/sysmacros.h>
            int main(void) {
                printf("SIZE %zu\\n", sizeof(struct statx));
                printf("MASK %zu\\n", offsetof(struct statx, stx_mask));
                printf("MODE %zu\\n", offsetof(struct statx, stx_mode));
                printf("INO %zu\\n", offsetof(struct statx, stx_ino));
                printf("FILE_SIZE %zu\\n", offsetof(struct statx, stx_size));
                printf("CTIME %zu\\n", offsetof(struct statx, stx_ctime));
                printf("CTIME_NSEC %zu\\n", offsetof(struct statx, stx_ctime.tv_nsec));
                printf("MTIME %zu\\n", offsetof(struct statx, stx_mtime));
                printf("MTIME_NSEC %zu\\n", offsetof(struct statx, stx_mtime.tv_nsec));
                printf("DEV_MAJOR %zu\\n", offsetof(struct statx, stx_dev_major));
                printf("DEV_MINOR %zu\\n", offsetof(struct statx, stx_dev_minor));
                printf("MAKEDEV %llu\\n", (unsigned long long) makedev(0x12345, 0x6789a));
                printf("AT_FDCWD %d\\n", AT_FDCWD);
                printf("AT_SYMLINK_NOFOLLOW %d\\n", AT_SYMLINK_NOFOLLOW);
                printf("AT_EMPTY_PATH %d\\n", AT_EMPTY_PATH);
                printf("WANTED %d\\n", STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE);
                printf("O_NOFOLLOW %d\\nO_CLOEXEC %d\\nO_NONBLOCK %d\\nO_DIRECTORY %d\\nO_CREAT %d\\nO_EXCL %d\\n",
                       O_NOFOLLOW, O_CLOEXEC, O_NONBLOCK, O_DIRECTORY, O_CREAT, O_EXCL);
                return 0;
            }
            """;

    @TempDir
    Path dir;

    @Test
    void javaLayoutMatchesGcc() throws Exception {
        Map<String, Long> c = compileAndRun();
        assertThat(c).containsEntry("SIZE", (long) Statx.SIZE)
                .containsEntry("MASK", (long) Statx.MASK)
                .containsEntry("MODE", (long) Statx.MODE)
                .containsEntry("INO", (long) Statx.INO)
                .containsEntry("FILE_SIZE", (long) Statx.FILE_SIZE)
                .containsEntry("CTIME", (long) Statx.CTIME)
                .containsEntry("CTIME_NSEC", (long) Statx.CTIME + 8)
                .containsEntry("MTIME", (long) Statx.MTIME)
                .containsEntry("MTIME_NSEC", (long) Statx.MTIME + 8)
                .containsEntry("DEV_MAJOR", (long) Statx.DEV_MAJOR)
                .containsEntry("DEV_MINOR", (long) Statx.DEV_MINOR)
                .containsEntry("MAKEDEV", Statx.makedev(0x12345, 0x6789a))
                .containsEntry("AT_FDCWD", (long) Statx.AT_FDCWD)
                .containsEntry("AT_SYMLINK_NOFOLLOW", (long) Statx.AT_SYMLINK_NOFOLLOW)
                .containsEntry("AT_EMPTY_PATH", (long) Statx.AT_EMPTY_PATH)
                .containsEntry("WANTED", (long) Statx.WANTED)
                .containsEntry("O_NOFOLLOW", (long) Posix.O_NOFOLLOW)
                .containsEntry("O_CLOEXEC", (long) Posix.O_CLOEXEC)
                .containsEntry("O_NONBLOCK", (long) Posix.O_NONBLOCK)
                .containsEntry("O_DIRECTORY", (long) Posix.O_DIRECTORY)
                .containsEntry("O_CREAT", (long) Posix.O_CREAT)
                .containsEntry("O_EXCL", (long) Posix.O_EXCL);
    }

    @Test
    void makedevOfSmallNumbers() {
        assertThat(Statx.makedev(8, 1)).isEqualTo(0x801);
        assertThat(Statx.makedev(0x12345, 0x6789a)).isEqualTo(0x0001_2000_6783_459aL);
    }

    private Map<String, Long> compileAndRun() throws IOException, InterruptedException {
        Path source = Files.writeString(dir.resolve("layout.c"), PROGRAM);
        Path binary = dir.resolve("layout");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-o", binary.toString(), source.toString()).redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed");
            throw e;
        }
        String errors = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc with struct statx: " + errors);
        Process run = new ProcessBuilder(binary.toString()).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Map<String, Long> values = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.split(" ");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }
}
