package io.snapgate.vmm.vcpu.process;

import com.sun.jna.Pointer;
import io.snapgate.store.fs.Posix;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.ResetStrategy;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator process: holds guest memory, Unicorn engines and their translated code for one gateway worker,
 * and does what the gateway asks over the {@link Channel}. Whatever guest code makes Unicorn do to this process
 * (a crash, a hang, corrupted memory) stays in it. It exits when the gateway closes its standard input, which
 * the kernel does when the gateway dies.
 */
public final class EmulatorMain {
    /** Engines opened at start; the worker's first calls take them (more are opened, and pooled, as needed). */
    private static final int PREWARMED_ENGINES = 2;

    private final Channel channel;
    private final UnicornBackend backend = UnicornBackend.instance();
    private final Map<Integer, GuestMemory> memories = new HashMap<>();
    /** Each memory by the host address of its first code slot: a vCPU mapping that code leases its file. */
    private final Map<Long, GuestMemory> byCode = new HashMap<>();
    private final Map<Integer, MemoryFile> copies = new HashMap<>();
    private final Map<Integer, Vcpu> vcpus = new ConcurrentHashMap<>();
    private int copiesMade;

    private EmulatorMain(Channel channel) {
        this.channel = channel;
    }

    /** Arguments: the path of the channel file (the gateway's memfd under /proc). */
    public static void main(String[] args) {
        EmulatorMain main = new EmulatorMain(Channel.open(Path.of(args[0])));
        main.backend.prewarm(PREWARMED_ENGINES); // before the first answer: a new engine costs milliseconds
        daemon("snapgate-emulator-parent", EmulatorMain::exitWithParent);
        daemon("snapgate-emulator-stop", main::serveStops);
        main.serve();
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void exitWithParent() {
        try (InputStream in = System.in) {
            while (in.read() >= 0) {
                // the gateway never writes: EOF means it closed us or died
            }
        } catch (IOException e) {
            // the same: the gateway is gone
        }
        Runtime.getRuntime().halt(0);
    }

    private void serveStops() {
        int seen = 0;
        while (true) {
            int now = channel.awaitStop(seen);
            if (now != seen) {
                seen = now;
                Vcpu vcpu = vcpus.get(channel.stopTarget());
                if (vcpu != null) {
                    vcpu.requestStop();
                }
            }
        }
    }

    private void serve() {
        int last = 0;
        while (true) {
            last = channel.awaitRequest(last, () -> { });
            ByteBuffer in = channel.request();
            ByteBuffer out = channel.response();
            out.putInt(Wire.OK);
            try {
                handle(in.getInt(), in, out);
            } catch (RuntimeException e) {
                out.clear();
                out.putInt(Wire.FAILED);
                Wire.putString(out, e.getMessage() == null ? e.toString() : e.getMessage());
            }
            channel.sendResponse(last);
        }
    }

    private void handle(int op, ByteBuffer in, ByteBuffer out) {
        switch (op) {
            case Wire.PING -> out.putLong(ProcessHandle.current().pid());
            case Wire.MAP -> map(in.getInt(), in, out);
            case Wire.REMAP -> remap(memory(in.getInt()), in, out);
            case Wire.RESET -> memory(in.getInt()).reset(ResetStrategy.values()[in.getInt()]);
            case Wire.COPY -> copy(memory(in.getInt()), out);
            case Wire.CLOSE_FILE -> copies.remove(in.getInt()).release();
            case Wire.UNMAP -> unmap(in.getInt());
            case Wire.VCPU_OPEN -> vcpus.put(in.getInt(), backend.createVcpu(Wire.getString(in)));
            case Wire.VCPU_MAP -> mapVcpu(vcpu(in.getInt()), Wire.getString(in), Wire.getSlots(in));
            case Wire.VCPU_ENTRY_STATE -> vcpu(in.getInt()).setEntryState(Wire.getState(in));
            case Wire.VCPU_ENTER -> {
                Vcpu vcpu = vcpu(in.getInt());
                Wire.putExit(out, vcpu.enter(in.getLong()));
            }
            case Wire.VCPU_RESUME -> Wire.putExit(out, vcpu(in.getInt()).resume());
            case Wire.VCPU_CLOSE -> vcpus.remove(in.getInt()).close();
            default -> throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    private void map(int id, ByteBuffer in, ByteBuffer out) {
        String path = Wire.getString(in);
        long size = in.getLong();
        boolean shared = in.getInt() != 0;
        MemoryLayout layout = Wire.getLayout(in);
        MemoryFile file = open(path, size, shared);
        try {
            GuestMemory memory = GuestMemory.map(file, layout, shared);
            memories.put(id, memory);
            answerSlots(memory, out);
        } finally {
            file.release();
        }
    }

    private void remap(GuestMemory memory, ByteBuffer in, ByteBuffer out) {
        String path = Wire.getString(in);
        long size = in.getLong();
        boolean shared = in.getInt() != 0;
        MemoryFile file = open(path, size, shared);
        try {
            byCode.values().remove(memory);
            memory.remap(file, shared);
            answerSlots(memory, out);
        } finally {
            file.release();
        }
    }

    private static MemoryFile open(String path, long size, boolean shared) {
        int fd = Posix.open(Path.of(path), (shared ? Posix.O_RDWR : Posix.O_RDONLY) | Posix.O_CLOEXEC);
        return MemoryFile.fromBlob(path, fd, size, null);
    }

    private void answerSlots(GuestMemory memory, ByteBuffer out) {
        List<MemorySlot> slots = memory.slots();
        slots.stream().filter(s -> s.protection() == Protection.READ_EXECUTE).findFirst()
                .ifPresent(code -> byCode.put(code.hostAddress(), memory));
        out.putLong(Pointer.nativeValue(memory.pointer()));
        Wire.putSlots(out, slots);
    }

    private void copy(GuestMemory memory, ByteBuffer out) {
        MemoryFile copy = memory.copyToFile("snapgate-snapshot");
        int id = ++copiesMade;
        copies.put(id, copy);
        out.putInt(id).putLong(copy.size());
        Wire.putString(out, copy.procPath());
    }

    private void unmap(int id) {
        GuestMemory memory = memories.remove(id);
        if (memory != null) {
            byCode.values().remove(memory);
            memory.close();
        }
    }

    private void mapVcpu(Vcpu vcpu, String digest, List<MemorySlot> slots) {
        MemorySlot code = slots.stream().filter(s -> s.protection() == Protection.READ_EXECUTE).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no code slot to map"));
        GuestMemory owner = byCode.get(code.hostAddress());
        if (owner == null) {
            throw new IllegalArgumentException("no memory of this process holds the code slot " + code.name());
        }
        MemoryFile lease = owner.file().retain();
        vcpu.map(slots, new GuestCode(digest, lease::release));
    }

    private GuestMemory memory(int id) {
        GuestMemory memory = memories.get(id);
        if (memory == null) {
            throw new IllegalArgumentException("no guest memory " + id + " in this process");
        }
        return memory;
    }

    private Vcpu vcpu(int id) {
        Vcpu vcpu = vcpus.get(id);
        if (vcpu == null) {
            throw new IllegalArgumentException("no vCPU " + id + " in this process");
        }
        return vcpu;
    }
}
