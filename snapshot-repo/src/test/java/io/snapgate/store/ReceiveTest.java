package io.snapgate.store;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.memory;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying a snapshot between stores: what one store inspects, another receives, checked blob by blob. */
class ReceiveTest {
    @TempDir
    Path dir;
    SnapshotStore from;
    SnapshotStore to;

    @BeforeEach
    void open() {
        from = SnapshotStore.open(dir.resolve("from"));
        to = SnapshotStore.open(dir.resolve("to"));
    }

    @Test
    void inspectNamesTheBlobsWithoutOpeningTheMemory() throws IOException {
        String digest = from.save("v1", config(), memory(1));
        SnapshotInfo info = from.inspect("v1");
        assertThat(info.manifestDigest()).isEqualTo(digest).isEqualTo(from.inspect(digest).manifestDigest());
        assertThat(info.memorySize()).isEqualTo(Fixtures.MEMORY_SIZE);
        assertThat(info.config()).isEqualTo(config());
        assertThat(Files.size(from.blobFile(info.manifestDigest()))).isEqualTo(info.manifestSize());
        assertThat(Files.size(from.blobFile(info.configDigest()))).isEqualTo(info.configSize());
        assertThat(from.inspect(digest)).isEqualTo(info);
    }

    @Test
    void aReceivedSnapshotLoadsVerifiedUnderItsTag() {
        SnapshotInfo info = from.inspect(from.save("v1", config(), memory(1)));
        List<String> asked = new ArrayList<>();
        String digest = to.receive("copy", info, (d, size) -> {
            asked.add(d);
            return file(from.blobFile(d));
        });
        assertThat(digest).isEqualTo(info.manifestDigest());
        assertThat(asked).containsExactly(info.memoryDigest(), info.configDigest(), info.manifestDigest());
        assertThat(to.tags()).containsExactly("copy");
        try (LoadedSnapshot loaded = to.load("copy", true)) {
            assertThat(loaded.memoryDigest()).isEqualTo(info.memoryDigest());
        }
        asked.clear();
        to.receive("again", info, (d, size) -> {
            asked.add(d);
            return file(from.blobFile(d));
        });
        assertThat(asked).as("blobs already there are not asked for again").isEmpty();
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestIsRefusedAndNothingIsStored() throws IOException {
        SnapshotInfo info = from.inspect(from.save("v1", config(), memory(1)));
        MemorySource other = memory(2); // the right size, other bytes
        assertRefused(() -> to.receive("copy", info, (d, size) -> d.equals(info.memoryDigest()) ? other
                : file(from.blobFile(d))), Problem.DIGEST_MISMATCH, info.memoryDigest(), "refused");
        assertThat(to.tags()).isEmpty();
        try (Stream<Path> left = Files.list(to.directory().resolve("blobs/sha256"))) {
            assertThat(left).as("no blob and no temp file left").isEmpty();
        }
    }

    @Test
    void aShortTransferIsRefused() {
        SnapshotInfo info = from.inspect(from.save("v1", config(), memory(1)));
        MemorySource half = MemorySource.of(ByteBuffer.allocate((int) info.memorySize() / 2));
        assertRefused(() -> to.receive("copy", info, (d, size) -> half), Problem.MEMORY_SIZE_MISMATCH);
        assertThat(to.tags()).isEmpty();
    }

    /** A stored blob's bytes, streamed from its file. */
    private static MemorySource file(Path blob) {
        return new MemorySource() {
            @Override
            public long size() {
                return blob.toFile().length();
            }

            @Override
            public void writeTo(java.nio.channels.WritableByteChannel out) throws IOException {
                try (FileChannel in = FileChannel.open(blob)) {
                    in.transferTo(0, in.size(), out);
                }
            }
        };
    }
}
