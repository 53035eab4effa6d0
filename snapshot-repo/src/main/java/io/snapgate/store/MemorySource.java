package io.snapgate.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A memory image to save: its size and a way to stream it. {@link SnapshotStore#save} hashes the bytes while
 * writing them and refuses a source that writes more or fewer than {@link #size()}.
 */
public interface MemorySource {
    /** The number of bytes {@link #writeTo} writes: the config's memory size, a multiple of 4096. */
    long size();

    /** Writes the whole image to {@code out}, in order. */
    void writeTo(WritableByteChannel out) throws IOException;

    /** The bytes between the buffer's position and limit (direct buffers, including mapped memory, work). */
    static MemorySource of(ByteBuffer image) {
        ByteBuffer view = image.duplicate();
        return new MemorySource() {
            @Override
            public long size() {
                return view.remaining();
            }

            @Override
            public void writeTo(WritableByteChannel out) throws IOException {
                ByteBuffer b = view.duplicate();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        };
    }
}
