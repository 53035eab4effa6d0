package io.snapgate.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replaceCreatesThenReplacesWithANewInode() throws IOException {
        Path target = dir.resolve("index.json");
        AtomicFiles.replace(target, "one".getBytes(), 0644);
        Object firstInode = Files.getAttribute(target, "unix:ino");
        AtomicFiles.replace(target, "two".getBytes(), 0644);

        assertThat(Files.readString(target)).isEqualTo("two");
        assertThat(Files.getAttribute(target, "unix:ino")).isNotEqualTo(firstInode);
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(entries()).containsExactly("index.json");
    }

    @Test
    void aTempFileNotMovedIsDeleted() throws IOException {
        try (TempFile temp = TempFile.create(dir, 0444)) {
            temp.channel().write(ByteBuffer.wrap(new byte[10]));
            assertThat(AtomicFiles.isTemp(temp.path())).isTrue();
            assertThat(Files.getPosixFilePermissions(temp.path()))
                    .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
        }
        assertThat(entries()).isEmpty();
    }

    @Test
    void aMovedTempFileKeepsItsContentAndMode() throws IOException {
        Path target = dir.resolve("target");
        try (TempFile temp = TempFile.create(dir, 0640)) {
            temp.channel().write(ByteBuffer.wrap(new byte[] {1, 2}));
            temp.channel().write(ByteBuffer.wrap(new byte[] {3}));
            temp.moveTo(target);
        }
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        assertThat(entries()).containsExactly("target");
    }

    @Test
    void aTempFileMovesOnlyWithinItsDirectory() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        try (TempFile temp = TempFile.create(dir, 0644)) {
            assertThatThrownBy(() -> temp.moveTo(elsewhere.resolve("target")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not in the temp file's directory");
        }
        assertThat(entries()).containsExactly("elsewhere");
    }

    private java.util.List<String> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
