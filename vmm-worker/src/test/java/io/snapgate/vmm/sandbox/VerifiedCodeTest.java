package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.fs.FileStat;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.vcpu.Protection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedCodeTest {
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final List<Region> CODE = List.of(new Region("text", 0x100000, 0x4000, Protection.READ_EXECUTE));

    private final VerifiedCode verified = new VerifiedCode(() -> NOW_MILLIS);
    private final AtomicInteger hashes = new AtomicInteger();

    private static FileStat file(long inode, long ctimeSeconds) {
        return new FileStat(0x801, inode, 0100444, 1 << 20, ctimeSeconds, 0, ctimeSeconds, 5);
    }

    private String digest(FileStat file, List<Region> code) {
        return verified.digest("sha256:" + "a".repeat(64), file, code, () -> "hash" + hashes.incrementAndGet());
    }

    @Test
    void anUnchangedFileIsHashedOnce() {
        FileStat old = file(7, NOW_MILLIS / 1000 - 60);
        assertThat(digest(old, CODE)).isEqualTo("hash1");
        assertThat(digest(old, CODE)).isEqualTo("hash1");
        assertThat(hashes).hasValue(1);
    }

    @Test
    void anotherInodeCtimeOrLayoutIsHashedAgain() {
        long old = NOW_MILLIS / 1000 - 60;
        digest(file(7, old), CODE);
        assertThat(digest(file(8, old), CODE)).isEqualTo("hash2");
        assertThat(digest(file(7, old + 1), CODE)).isEqualTo("hash3");
        assertThat(digest(file(7, old), List.of(new Region("text", 0x100000, 0x5000, Protection.READ_EXECUTE))))
                .isEqualTo("hash4");
    }

    @Test
    void aFileChangedWithinTheRacyWindowIsNotRemembered() {
        FileStat young = file(7, NOW_MILLIS / 1000);
        digest(young, CODE);
        assertThat(digest(young, CODE)).isEqualTo("hash2");
    }
}
