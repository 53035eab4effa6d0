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
    /** The guest address the thread's scratch buffer starts at, while it caches this memory's bytes. */
    private long cacheStart;

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
        process.call(Wire.RESET, out -> out.putInt(id).putInt(strategy.ordinal()), in -> null);
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
        return local != null ? local.readInt(address) : cached(address, 4).getInt(address - cacheStart);
    }

    @Override
    public long readLong(long address) {
        return local != null ? local.readLong(address) : cached(address, 8).getLong(address - cacheStart);
    }

    @Override
    public void writeInt(long address, int value) {
        if (local != null) {
            local.writeInt(address, value);
        } else {
            buffer(4).setInt(0, value);
            transfer(address, 4, true);
        }
    }

    @Override
    public void writeLong(long address, long value) {
        if (local != null) {
            local.writeLong(address, value);
        } else {
            buffer(8).setLong(0, value);
            transfer(address, 8, true);
        }
    }

    @Override
    public byte[] read(long address, int length) {
        if (local != null) {
            return local.read(address, length);
        }
        byte[] bytes = new byte[length];
        cached(address, length).read(address - cacheStart, bytes, 0, length);
        return bytes;
    }

    @Override
    public void write(long address, byte[] bytes) {
        if (local != null) {
            local.write(address, bytes);
        } else {
            buffer(bytes.length).write(0, bytes, 0, bytes.length);
            transfer(address, bytes.length, true);
        }
    }

    /** One system call for the length and the bytes (a call's input frame: the hot path). */
    @Override
    public void writeFrame(long address, byte[] payload) {
        if (local != null) {
            local.writeFrame(address, payload);
        } else {
            Memory buffer = buffer(4 + payload.length);
            buffer.setInt(0, payload.length);
            buffer.write(4, payload, 0, payload.length);
            transfer(address, 4 + payload.length, true);
        }
    }

    /**
     * The scratch buffer holding guest bytes [address, address + length) as they are now. A read fetches a little
     * more than asked ({@link #READ_AHEAD}): reading a frame's length and then its bytes costs one system call,
     * not two. What was fetched stays valid until this process writes or sends the emulator any request.
     */
    private Memory cached(long address, int length) {
        Scratch scratch = SCRATCH.get();
        if (scratch.cacheOwner == this && scratch.cacheRequests == process.requests() && address >= cacheStart
                && address - cacheStart <= scratch.cacheLength - length) {
            return scratch.bytes;
        }
        int fetched = (int) Math.min(Math.max(length, READ_AHEAD), layout.size() - Math.max(0, address));
        fetched = Math.max(fetched, length); // an access out of bounds is refused by transfer()
        Memory buffer = transfer(address, fetched, false);
        scratch.cacheOwner = this;
        scratch.cacheRequests = process.requests();
        scratch.cacheLength = fetched;
        cacheStart = address;
        return buffer;
    }
    private static Memory buffer(int length) {
        Scratch scratch = SCRATCH.get();
        scratch.cacheOwner = null; // the buffer is about to hold other bytes
        return scratch.buffer(length);
    }

    /** Copies {@code length} bytes between the scratch buffer and guest {@code address}; returns the buffer. */
    private Memory transfer(long address, int length, boolean write) {
        checkOpen();
        if (address < 0 || length < 0 || address > layout.size() - length) {
            throw new IndexOutOfBoundsException(String.format("guest access 0x%x+%d outside memory of %d bytes",
                    address, length, layout.size()));
        }
        Scratch scratch = SCRATCH.get();
        Memory buffer = scratch.buffer(length);
        scratch.iovecs.setLong(0, Pointer.nativeValue(buffer));
        scratch.iovecs.setLong(8, length);
        scratch.iovecs.setLong(16, base + address);
        scratch.iovecs.setLong(24, length);
        if (process.isLost()) {
            throw new VcpuLostException("the emulator process that held this guest memory is gone");
        }
        long done = write ? Libc.processVmWrite(process.pid(), scratch.address)
                : Libc.processVmRead(process.pid(), scratch.address);
        if (done != length) {
            throw new IllegalStateException("process_vm transfer of " + length + " bytes moved " + done);
        }
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
        Memory bytes = new Memory(64 << 10);
        /** Whose guest bytes {@link #bytes} holds as a read cache (null: none), and as of which request. */
        RemoteGuestMemory cacheOwner;
        int cacheRequests;
        int cacheLength;

        Memory buffer(int length) {
            if (bytes.size() < length) {
                bytes = new Memory(Math.max(length, bytes.size() * 2));
            }
            return bytes;
        }
    }
}
