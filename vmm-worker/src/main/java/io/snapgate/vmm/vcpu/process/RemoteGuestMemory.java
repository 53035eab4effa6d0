package io.snapgate.vmm.vcpu.process;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.snapgate.store.fs.Posix;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.ResetStrategy;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.VcpuLostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * Guest memory mapped in an emulator process, the one whose vCPUs run on it. The gateway reads and writes it
 * with process_vm_readv/writev (one system call per access, no round trip to the process); mapping, reset and
 * copying happen there. A memory being built ({@code shared}) is also mapped here, on the same file, so an
 * image can be written into it directly.
 */
final class RemoteGuestMemory implements GuestMemory {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final int READ_AHEAD = 512;

    private final EmulatorProcess process;
    private final int id;
    private final MemoryLayout layout;
    private MemoryFile file;
    /** This process's own shared mapping while the memory is being built; null for a private one. */
    private GuestMemory local;
    private long base;
    private List<MemorySlot> slots;
    private boolean closed;
    /** Guest bytes from {@link #cacheStart}, as read while the process's generation was {@link #cacheGeneration}. */
    private byte[] cache;
    private long cacheStart;
    private int cacheGeneration;

    private RemoteGuestMemory(EmulatorProcess process, int id, MemoryLayout layout, MemoryFile file) {
        this.process = process;
        this.id = id;
        this.layout = layout;
        this.file = file;
    }

    static RemoteGuestMemory map(EmulatorProcess process, MemoryFile file, MemoryLayout layout, boolean shared) {
        if (file.size() != layout.size()) {
            throw new IllegalArgumentException(file + " does not match the layout's memory size " + layout.size());
        }
        RemoteGuestMemory memory = new RemoteGuestMemory(process, process.newId(), layout, file.retain());
        try {
            memory.placed(process.call(Wire.MAP, out -> {
                out.putInt(memory.id);
                request(out, file, shared);
                Wire.putLayout(out, layout);
            }, in -> in));
            memory.local = shared ? GuestMemory.map(file, layout, true) : null;
            return memory;
        } catch (RuntimeException e) {
            file.release();
            throw e;
        }
    }

    private static void request(ByteBuffer out, MemoryFile file, boolean shared) {
        Wire.putString(out, file.procPath());
        out.putLong(file.size()).putInt(shared ? 1 : 0);
    }

    private void placed(ByteBuffer answer) {
        base = answer.getLong();
        slots = Wire.getSlots(answer);
    }

    @Override
    public void remap(MemoryFile next, boolean shared) {
        checkOpen();
        if (next.size() != layout.size()) {
            throw new IllegalArgumentException(next + " does not match the layout's memory size " + layout.size());
        }
        next.retain();
        try {
            placed(process.call(Wire.REMAP, out -> {
                out.putInt(id);
                request(out, next, shared);
            }, in -> in));
        } catch (RuntimeException e) {
            next.release();
            throw e;
        }
        if (local != null) {
            local.close();
        }
        local = shared ? GuestMemory.map(next, layout, true) : null;
        file.release();
        file = next;
    }

    @Override
    public void reset(ResetStrategy strategy) {
        checkOpen();
        process.deferReset(id, strategy);
    }

    /** Made there, opened here through /proc, then let go of there: the file itself lives on here. */
    @Override
    public MemoryFile copyToFile(String name) {
        checkOpen();
        record Copy(int id, long size, String path) {
        }
        Copy copy = process.call(Wire.COPY, out -> out.putInt(id),
                in -> new Copy(in.getInt(), in.getLong(), Wire.getString(in)));
        try {
            int fd = Posix.open(Path.of(copy.path()), Posix.O_RDONLY | Posix.O_CLOEXEC);
            return MemoryFile.fromBlob(name, fd, copy.size(), null);
        } finally {
            process.call(Wire.CLOSE_FILE, out -> out.putInt(copy.id()), in -> null);
        }
    }

    @Override
    public List<MemorySlot> slots() {
        checkOpen();
        return slots;
    }

    @Override
    public MemoryLayout layout() {
        return layout;
    }

    @Override
    public MemoryFile file() {
        return file;
    }

    @Override
    public Pointer pointer() {
        checkOpen();
        if (local == null) {
            throw new IllegalStateException("guest memory of a running sandbox lives in its emulator process");
        }
        return local.pointer();
    }

    @Override
    public int readInt(long address) {
        return local != null ? local.readInt(address) : bytesAt(address, 4).getInt();
    }

    @Override
    public long readLong(long address) {
        return local != null ? local.readLong(address) : bytesAt(address, 8).getLong();
    }

    @Override
    public void writeInt(long address, int value) {
        if (local != null) {
            local.writeInt(address, value);
        } else {
            put(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        }
    }

    @Override
    public void writeLong(long address, long value) {
        if (local != null) {
            local.writeLong(address, value);
        } else {
            put(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }
    }

    @Override
    public byte[] read(long address, int length) {
        if (local != null) {
            return local.read(address, length);
        }
        byte[] bytes = new byte[length];
        bytesAt(address, length).get(bytes);
        return bytes;
    }

    @Override
    public void write(long address, byte[] bytes) {
        if (local != null) {
            local.write(address, bytes);
        } else {
            put(address, bytes.clone());
        }
    }

    @Override
    public void writeFrame(long address, byte[] payload) {
        if (local != null) {
            local.writeFrame(address, payload);
        } else {
            put(address, ByteBuffer.allocate(4 + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(payload.length).put(payload).array());
        }
    }

    /**
     * Writes {@code bytes} (which the caller no longer changes) at {@code address}: with the next request to the
     * emulator process when they fit there (the call frame before the run that reads it: no system call of its
     * own), else at once.
     */
    private void put(long address, byte[] bytes) {
        check(address, bytes.length);
        if (!process.deferWrite(id, address, bytes)) {
            Memory buffer = SCRATCH.get().buffer(bytes.length);
            buffer.write(0, bytes, 0, bytes.length);
            transfer(address, bytes.length, true);
        }
    }

    /**
     * Guest bytes [address, address + length) as they are now, little-endian, positioned at {@code address}: from
     * what the last run's answer carried (the result frame), from a read made since the last request, or read
     * now with a little more ({@link #READ_AHEAD}) so that a frame's length and then its bytes cost one system
     * call.
     */
    private ByteBuffer bytesAt(long address, int length) {
        checkBounds(address, length);
        ByteBuffer carried = process.carried(id, address, length); // valid only while nothing was written since
        if (carried != null) {
            return carried; // what a turn's answer carried stays readable after the process died later in the turn
        }
        checkNotLost();
        process.flushWrites(); // reads see every write made before them
        if (cache == null || cacheGeneration != process.generation() || address < cacheStart
                || address - cacheStart > cache.length - length) {
            int fetched = (int) Math.max(length, Math.min(READ_AHEAD, layout.size() - address));
            Memory buffer = transfer(address, fetched, false);
            cache = buffer.getByteArray(0, fetched);
            cacheStart = address;
            cacheGeneration = process.generation();
        }
        return ByteBuffer.wrap(cache).order(ByteOrder.LITTLE_ENDIAN).position((int) (address - cacheStart));
    }

    private void check(long address, int length) {
        checkBounds(address, length);
        checkNotLost();
    }

    private void checkBounds(long address, int length) {
        checkOpen();
        if (address < 0 || length < 0 || address > layout.size() - length) {
            throw new IndexOutOfBoundsException(String.format("guest access 0x%x+%d outside memory of %d bytes",
                    address, length, layout.size()));
        }
    }

    private void checkNotLost() {
        if (process.isLost()) {
            throw new VcpuLostException("the emulator process that held this guest memory is gone");
        }
    }

    /** Copies {@code length} bytes between the thread's scratch buffer and guest {@code address} (checked). */
    private Memory transfer(long address, int length, boolean write) {
        Scratch scratch = SCRATCH.get();
        Memory buffer = scratch.buffer(length);
        scratch.iovecs.setLong(0, Pointer.nativeValue(buffer));
        scratch.iovecs.setLong(8, length);
        scratch.iovecs.setLong(16, base + address);
        scratch.iovecs.setLong(24, length);
        long done = write ? Libc.processVmWrite(process.pid(), scratch.address)
                : Libc.processVmRead(process.pid(), scratch.address);
        if (done != length) {
            throw new IllegalStateException("process_vm transfer of " + length + " bytes moved " + done);
        }
        process.changed();
        return buffer;
    }

    @Override
    public boolean lost() {
        return process.isLost();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("guest memory is unmapped");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (local != null) {
            local.close();
        }
        try {
            process.call(Wire.UNMAP, out -> out.putInt(id), in -> null);
        } catch (VcpuLostException e) {
            // went with its process
        } finally {
            file.release();
        }
    }

    /** A thread's native buffers for process_vm transfers: two struct iovec and the bytes. */
    private static final class Scratch {
        final Memory iovecs = new Memory(32);
        final long address = Pointer.nativeValue(iovecs);
        private Memory bytes = new Memory(64 << 10);

        Memory buffer(int length) {
            if (bytes.size() < length) {
                bytes = new Memory(Math.max(length, bytes.size() * 2));
            }
            return bytes;
        }
    }
}
