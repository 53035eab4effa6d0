package io.snapgate.vmm.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.testing.TestGuests;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The ELF loader accepts the SDK's guests and refuses malformed or dangerous files by name. */
class ElfImageTest {
    private static final long LOW = MemoryLayout.IMAGE_BASE;
    private static final long HIGH = MemoryLayout.MAX_SIZE;

    private static byte[] guest() {
        return TestGuests.elf("testguest");
    }

    private static ElfImage parse(byte[] bytes) {
        return ElfImage.parse(bytes, LOW, HIGH);
    }

    /** The first PT_LOAD program header's offset in the file. */
    private static int firstLoad(ByteBuffer b) {
        int phoff = (int) b.getLong(32);
        for (int i = 0; ; i++) {
            if (b.getInt(phoff + i * 56) == 1) {
                return phoff + i * 56;
            }
        }
    }

    @Test
    void acceptsTheTestGuestWithWxSegments() {
        ElfImage image = parse(guest());
        assertThat(image.segments()).isNotEmpty();
        assertThat(image.segments()).noneMatch(s -> s.writable() && s.executable());
        assertThat(image.segments()).anyMatch(s -> s.executable() && image.entry() >= s.address()
                && image.entry() < s.end());
        assertThat(image.start()).isGreaterThanOrEqualTo(LOW);
    }

    @Test
    void refusesAWritableAndExecutableSegment() {
        byte[] bytes = guest();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int ph = firstLoad(b);
        b.putInt(ph + 4, 7);
        assertThatThrownBy(() -> parse(bytes)).isInstanceOf(ElfException.class)
                .hasMessageContaining("is writable and executable (W^X)");
    }

    @Test
    void refusesASegmentBelowTheImageBase() {
        byte[] bytes = guest();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(firstLoad(b) + 16, 0x1000);
        assertThatThrownBy(() -> parse(bytes)).hasMessageContaining("is outside the image area");
    }

    @Test
    void refusesAFileRangePastTheEnd() {
        byte[] bytes = guest();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int ph = firstLoad(b);
        b.putLong(ph + 32, bytes.length);
        b.putLong(ph + 40, bytes.length);
        assertThatThrownBy(() -> parse(bytes)).hasMessageContaining("file range runs past the end of the file");
    }

    @Test
    void refusesAnEntryOutsideCode() {
        byte[] bytes = guest();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 0x10);
        assertThatThrownBy(() -> parse(bytes))
                .hasMessageContaining("entry point 0x10 is not inside an executable segment");
    }

    @Test
    void refusesOtherMachinesAndTypes() {
        byte[] arm = guest();
        ByteBuffer.wrap(arm).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) 183);
        assertThatThrownBy(() -> parse(arm)).hasMessageContaining("not an x86-64 ELF (machine 183)");
        byte[] shared = guest();
        ByteBuffer.wrap(shared).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 3);
        assertThatThrownBy(() -> parse(shared)).hasMessageContaining("not a static executable");
        byte[] thirtyTwo = guest();
        thirtyTwo[4] = 1;
        assertThatThrownBy(() -> parse(thirtyTwo)).hasMessageContaining("not a 64-bit ELF");
    }

    @Test
    void refusesHugeProgramHeaderCounts() {
        byte[] bytes = guest();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0xffff);
        assertThatThrownBy(() -> parse(bytes)).hasMessageContaining("65535 program headers");
    }
}
