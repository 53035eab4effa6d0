package io.snapgate.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
    @TempDir
    Path dir;

    @Test
    void createWriteReadStatSync() {
        Path file = dir.resolve("f");
        int fd = Posix.create(file, Posix.O_RDWR | Posix.O_EXCL, 0640);
        try {
            Posix.writeFully(fd, ByteBuffer.wrap("hello, world".getBytes(StandardCharsets.US_ASCII)), 0);
            Posix.writeFully(fd, ByteBuffer.allocateDirect(3).put("!!!".getBytes(StandardCharsets.US_ASCII)).flip(),
                    12);
            Posix.fsync(fd);
            ByteBuffer middle = ByteBuffer.wrap("xxWORLDxx".getBytes(StandardCharsets.US_ASCII), 2, 5);
            assertThat(Posix.pwrite(fd, middle, 7)).isEqualTo(5);
            assertThat(middle.position()).isEqualTo(7);
            ByteBuffer written = ByteBuffer.allocate(5);
            Posix.readFully(fd, written, 7);
            assertThat(new String(written.array(), StandardCharsets.US_ASCII)).isEqualTo("WORLD");
            Posix.writeFully(fd, ByteBuffer.wrap("world".getBytes(StandardCharsets.US_ASCII)), 7);

            ByteBuffer heap = ByteBuffer.allocate(5);
            assertThat(Posix.pread(fd, heap, 7)).isEqualTo(5);
            assertThat(new String(heap.array(), StandardCharsets.US_ASCII)).isEqualTo("world");
            ByteBuffer offsetHeap = ByteBuffer.allocate(10).position(3);
            assertThat(Posix.pread(fd, offsetHeap, 0)).isEqualTo(7);
            assertThat(new String(offsetHeap.array(), 3, 7, StandardCharsets.US_ASCII)).isEqualTo("hello, ");
            assertThat(offsetHeap.position()).isEqualTo(10);
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            assertThat(Posix.readFully(fd, direct, 0)).isEqualTo(15);
            assertThat(Posix.pread(fd, ByteBuffer.allocateDirect(8), 15)).as("end of file").isZero();

            FileStat stat = Posix.fstat(fd);
            assertThat(stat.regularFile()).isTrue();
            assertThat(stat.size()).isEqualTo(15);
            assertThat(stat.permissions() & 0600).isEqualTo(0600);
            assertThat(stat.permissions() & ~0640).as("only what the mode allows, less the umask").isZero();
        } finally {
            Posix.close(fd);
        }
        Posix.fsyncDirectory(dir);
    }

    @Test
    void fstatAgreesWithJava() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x".repeat(5000));
        Map<String, Object> unix = Files.readAttributes(file, "unix:ino,dev,mode,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        try (OpenFile f = OpenFile.readOnly(file)) {
            FileStat stat = f.stat();
            assertThat(stat.inode()).isEqualTo(unix.get("ino"));
            assertThat(stat.device()).isEqualTo(unix.get("dev"));
            assertThat(stat.mode()).isEqualTo(unix.get("mode"));
            assertThat(stat.size()).isEqualTo(5000);
            FileTime mtime = (FileTime) unix.get("lastModifiedTime");
            assertThat(stat.mtimeSeconds() * 1_000_000 + stat.mtimeNanos() / 1000)
                    .isEqualTo(mtime.to(java.util.concurrent.TimeUnit.MICROSECONDS));
            assertThat(Posix.lstat(file)).isEqualTo(stat);
        }
    }

    @Test
    void lstatSeesTheLinkItself() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("d")));
        assertThat(Posix.lstat(link).typeName()).isEqualTo("symbolic link");
        assertThat(Posix.lstat(dir.resolve("d")).directory()).isTrue();
    }

    @Test
    void failuresNameCallPathAndErrno() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Posix.open(missing, Posix.O_RDONLY))
                .isInstanceOfSatisfying(PosixException.class, e -> {
                    assertThat(e.call()).isEqualTo("open");
                    assertThat(e.file()).isEqualTo(missing.toString());
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                })
                .hasMessageContaining("open(" + missing + ")").hasMessageContaining("ENOENT")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void noFollowRefusesASymbolicLink() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "t");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> OpenFile.readOnly(link))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELOOP));
    }

    @Test
    void openNeverCreates() {
        assertThatThrownBy(() -> Posix.open(dir.resolve("new"), Posix.O_WRONLY | Posix.O_CREAT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Posix.create");
        assertThat(dir.resolve("new")).doesNotExist();
    }

    @Test
    void createExclusiveRefusesAnExistingFile() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> Posix.create(file, Posix.O_WRONLY | Posix.O_EXCL, 0600))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
    }

    @Test
    void aClosedDescriptorIsEbadf() {
        int fd = Posix.open(dir, Posix.O_RDONLY | Posix.O_DIRECTORY);
        Posix.close(fd);
        assertThatThrownBy(() -> Posix.fstat(fd))
                .isInstanceOfSatisfying(PosixException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EBADF);
                    assertThat(e.file()).isEqualTo("fd " + fd);
                });
    }

    @Test
    void boundedReadRefusesBeforeReading() throws IOException {
        Path file = Files.write(dir.resolve("big"), new byte[1025]);
        try (OpenFile f = OpenFile.readOnly(file)) {
            assertThatThrownBy(() -> f.readAll(f.stat().size(), 1024))
                    .isInstanceOfSatisfying(FileTooLargeException.class, e -> {
                        assertThat(e.size()).isEqualTo(1025);
                        assertThat(e.limit()).isEqualTo(1024);
                    });
            assertThat(f.readAll(f.stat().size(), 1025)).hasSize(1025);
        }
    }

    @Test
    void detachHandsOverTheDescriptor() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        OpenFile f = OpenFile.readOnly(file);
        int fd = f.detach();
        f.close();
        assertThat(Posix.fstat(fd).size()).isEqualTo(1);
        Posix.close(fd);
        assertThatThrownBy(f::detach).isInstanceOf(IllegalStateException.class);
    }
}
