package io.snapgate.vmm.vcpu.process;

import com.sun.jna.Pointer;
import io.snapgate.store.fs.Posix;
import io.snapgate.vmm.memory.GuestMemory;
import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.MemoryLayout;
import io.snapgate.vmm.memory.Region;
import io.snapgate.vmm.memory.ResetStrategy;
import io.snapgate.vmm.sys.Libc;
import io.snapgate.vmm.sys.SystemCallException;
import io.snapgate.vmm.vcpu.GuestCode;
import io.snapgate.vmm.vcpu.MemorySlot;
import io.snapgate.vmm.vcpu.Protection;
import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VmExit;
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
    private static final int CARRIED_MAX = 8 << 10;
    /** Characters of a failure's message sent back: the answer area is 32 KiB. */
    private static final int MESSAGE_MAX = 4096;
    /** Room an answer keeps for one more run's: its times and flags, an exit with a message, a carried frame. */
    private static final int RUN_ANSWER_MAX = 64 + MESSAGE_MAX + CARRIED_MAX;
    /** The exit status of a process that could not reset a guest memory ({@link #reset}). */
    static final int RESET_FAILED = 3;

    private final Channel channel;
    private final UnicornBackend backend;
    private final Map<Integer, GuestMemory> memories = new HashMap<>();
    /** Each memory's id by the host address of its first code slot: a vCPU mapping that code leases its file. */
    private final Map<Long, Integer> byCode = new HashMap<>();
    /** The memory each vCPU runs on, by id. */
    private final Map<Integer, Integer> vcpuMemories = new HashMap<>();
    private final Map<Integer, MemoryFile> copies = new HashMap<>();
    private final Map<Integer, Vcpu> vcpus = new ConcurrentHashMap<>();
    private int copiesMade;
    /**
     * The vCPU of the turn's run in progress; null outside turns. A stop for any vCPU stops it: the one the stop
     * names may be queued later in the turn, where the stop would be dropped (it is not running) while the run in
     * progress keeps the gateway waiting past its grace.
     */
    private volatile Vcpu runningInTurn;
    private final Object stopLock = new Object();
    /** The request being served; 0 between requests. Guarded by {@link #stopLock}. */
    private int serving;

    private EmulatorMain(Channel channel, int idleEngines) {
        this.channel = channel;
        this.backend = new UnicornBackend(idleEngines);
    }

    /** Arguments: the path of the channel file (the gateway's memfd under /proc), the idle engines to keep. */
    public static void main(String[] args) {
        noHugePages();
        EmulatorMain main = new EmulatorMain(Channel.open(Path.of(args[0])), Integer.parseInt(args[1]));
        main.backend.prewarm(PREWARMED_ENGINES); // before the first answer: a new engine costs milliseconds
        daemon("snapgate-emulator-parent", EmulatorMain::exitWithParent);
        daemon("snapgate-emulator-stop", main::serveStops);
        main.serve();
    }

    /**
     * Before any engine opens: Unicorn asks for transparent huge pages on each engine's translation buffer
     * (madvise(MADV_HUGEPAGE)), so the few KiB of code an engine translates fault in a whole 2 MiB page; with
     * huge pages off an engine that ran a call holds ~0.9 MiB instead of ~2.9 (BENCHMARKS.md, "Many snapshots").
     * Nothing else in this process asks for them. Without the call (a kernel older than 3.15) engines just cost
     * more.
     */
    private static void noHugePages() {
        try {
            Libc.disableTransparentHugePages();
        } catch (SystemCallException e) {
            System.err.println("snapgate emulator: engines keep transparent huge pages: " + e.getMessage());
        }
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

    /**
     * Stops the vCPU a stop request names, and the run of a turn in progress whichever vCPU it names (one queued
     * later in the turn would drop the stop, not running yet, while the run in progress kept the gateway waiting
     * past its grace). Only during the request it was asked in: one that arrives later is dropped, as it was meant
     * for a run that is over (a stopped run may have been rewound, and its caller must know it stopped it).
     */
    private void serveStops() {
        int seen = 0;
        while (true) {
            int now = channel.awaitStop(seen);
            if (now != seen) {
                seen = now;
                long request = channel.stopRequest();
                synchronized (stopLock) {
                    if (serving != 0 && (int) request == serving) {
                        Vcpu vcpu = vcpus.get((int) (request >>> 32));
                        if (vcpu != null) {
                            vcpu.requestStop();
                        }
                        Vcpu inTurn = runningInTurn;
                        if (inTurn != null && inTurn != vcpu) {
                            inTurn.requestStop();
                        }
                    }
                }
            }
        }
    }

    private void serve() {
        int last = 0;
        while (true) {
            last = channel.awaitRequest(last, () -> { });
            synchronized (stopLock) {
                serving = last;
            }
            ByteBuffer in = channel.request();
            ByteBuffer out = channel.response();
            out.putInt(Wire.OK);
            try {
                if (applyDeferred(in, out)) {
                    handle(in.getInt(), in, out);
                }
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                out.clear();
                out.putInt(Wire.FAILED);
                Wire.putString(out, message.length() > MESSAGE_MAX ? message.substring(0, MESSAGE_MAX) : message);
            }
            synchronized (stopLock) {
                serving = 0;
            }
            channel.sendResponse(last);
        }
    }

    /**
     * The guest memory work the gateway deferred to this request, in order, before its operation; queued runs
     * among it ({@link Wire#RUN_RECORD}) are answered first, their count and then each. False when a run ended the
     * turn: the records after it are not applied, and the operation ({@link Wire#RUN_QUEUED}) not handled.
     */
    private boolean applyDeferred(ByteBuffer in, ByteBuffer out) {
        int runs = 0;
        int runsAt = -1;
        long until = 0;
        for (int i = in.getInt(); i > 0; i--) {
            int id = in.getInt();
            long address = in.getLong();
            int length = in.getInt();
            if (length == Wire.RESET_RECORD) {
                reset(id, ResetStrategy.values()[(int) address]);
            } else if (length == Wire.RUN_RECORD) {
                int donePort = in.getInt();
                if (runsAt < 0) {
                    runsAt = out.position();
                    out.putInt(0);
                    until = channel.turnUntil();
                }
                out.putInt(runsAt, ++runs);
                if (!runQueued(id, address, donePort, until, out)) {
                    return false;
                }
            } else {
                byte[] bytes = new byte[length];
                in.get(bytes);
                memory(id).write(address, bytes);
            }
        }
        return true;
    }

    /**
     * Runs vCPU {@code id} from {@code entry} and answers how long it ran, whether the turn goes on, its exit and its
     * output. It goes on after an exit to {@code donePort} whose output went back whole, before {@code until}
     * ({@link System#nanoTime()}) and while the answer has room for another run's.
     */
    private boolean runQueued(int id, long entry, int donePort, long until, ByteBuffer out) {
        Vcpu vcpu = vcpu(id);
        long start = System.nanoTime();
        runningInTurn = vcpu;
        VmExit exit;
        try {
            exit = vcpu.enter(entry);
        } finally {
            runningInTurn = null;
        }
        long end = System.nanoTime();
        out.putLong(end - start);
        int wentOnAt = out.position();
        out.putInt(0);
        Wire.putExit(out, exit);
        boolean whole = carryOutput(id, out);
        boolean goOn = exit instanceof VmExit.IoOut io && io.port() == donePort && whole
                && end - until < 0 && out.remaining() >= RUN_ANSWER_MAX;
        out.putInt(wentOnAt, goOn ? 1 : 0);
        return goOn;
    }

    /**
     * A memory that could not be reset ends the process: its state is unknown, a vCPU may still map it, and the
     * request that carried the reset may be another sandbox's. Lost, the process takes every sandbox with it, as a
     * crash does, and nothing runs on what a guest left.
     */
    private void reset(int id, ResetStrategy strategy) {
        try {
            memory(id).reset(strategy);
        } catch (RuntimeException e) {
            System.err.println("snapgate emulator: guest memory " + id + " could not be reset: " + e.getMessage());
            Runtime.getRuntime().halt(RESET_FAILED);
        }
    }

    private void handle(int op, ByteBuffer in, ByteBuffer out) {
        switch (op) {
            case Wire.PING -> out.putLong(ProcessHandle.current().pid());
            case Wire.MAP -> map(in.getInt(), in, out);
            case Wire.REMAP -> remap(in.getInt(), in, out);
            case Wire.COPY -> copy(memory(in.getInt()), out);
            case Wire.CLOSE_FILE -> copies.remove(in.getInt()).release();
            case Wire.UNMAP -> unmap(in.getInt());
            case Wire.VCPU_OPEN -> vcpus.put(in.getInt(), backend.createVcpu(Wire.getString(in)));
            case Wire.VCPU_MAP -> mapVcpu(in.getInt(), Wire.getString(in), Wire.getSlots(in));
            case Wire.VCPU_ENTRY_STATE -> vcpu(in.getInt()).setEntryState(Wire.getState(in));
            case Wire.VCPU_ENTER -> {
                int id = in.getInt();
                Wire.putExit(out, vcpu(id).enter(in.getLong()));
                carryOutput(id, out);
            }
            case Wire.VCPU_RESUME -> {
                int id = in.getInt();
                Wire.putExit(out, vcpu(id).resume());
                carryOutput(id, out);
            }
            case Wire.RUN_QUEUED -> {
                if (out.position() == 4) {
                    out.putInt(0); // no run was queued
                }
            }
            case Wire.VCPU_CLOSE -> {
                int id = in.getInt();
                vcpuMemories.remove(id);
                vcpus.remove(id).close();
            }
            default -> throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    /**
     * After a run, the frame the guest left at the start of its output buffer (up to {@link #CARRIED_MAX} bytes),
     * which the gateway reads next whatever the exit: sent along, it costs the gateway no read of its own. Says
     * whether the whole frame went.
     */
    private boolean carryOutput(int vcpu, ByteBuffer out) {
        Integer id = vcpuMemories.get(vcpu);
        GuestMemory memory = id == null ? null : memories.get(id);
        if (memory == null) {
            out.putInt(0);
            return false;
        }
        Region output = memory.layout().region(MemoryLayout.OUTPUT);
        long frame = 4 + Integer.toUnsignedLong(memory.readInt(output.guestAddress()));
        int length = (int) Math.min(Math.min(frame, output.size()), CARRIED_MAX);
        out.putInt(id).putLong(output.guestAddress()).putInt(length).put(memory.read(output.guestAddress(), length));
        return length == frame;
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
            answerSlots(id, memory, out);
        } finally {
            file.release();
        }
    }

    private void remap(int id, ByteBuffer in, ByteBuffer out) {
        GuestMemory memory = memory(id);
        String path = Wire.getString(in);
        long size = in.getLong();
        boolean shared = in.getInt() != 0;
        MemoryFile file = open(path, size, shared);
        try {
            byCode.values().remove(id);
            memory.remap(file, shared);
            answerSlots(id, memory, out);
        } finally {
            file.release();
        }
    }

    private static MemoryFile open(String path, long size, boolean shared) {
        int fd = Posix.open(Path.of(path), (shared ? Posix.O_RDWR : Posix.O_RDONLY) | Posix.O_CLOEXEC);
        return MemoryFile.fromBlob(path, fd, size, null);
    }

    private void answerSlots(int id, GuestMemory memory, ByteBuffer out) {
        List<MemorySlot> slots = memory.slots();
        slots.stream().filter(s -> s.protection() == Protection.READ_EXECUTE).findFirst()
                .ifPresent(code -> byCode.put(code.hostAddress(), id));
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
            byCode.values().remove(id);
            vcpuMemories.values().remove(id);
            memory.close();
        }
    }

    private void mapVcpu(int id, String digest, List<MemorySlot> slots) {
        Vcpu vcpu = vcpu(id);
        MemorySlot code = slots.stream().filter(s -> s.protection() == Protection.READ_EXECUTE).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no code slot to map"));
        Integer owner = byCode.get(code.hostAddress());
        if (owner == null) {
            throw new IllegalArgumentException("no memory of this process holds the code slot " + code.name());
        }
        MemoryFile lease = memory(owner).file().retain();
        vcpu.map(slots, new GuestCode(digest, lease::release));
        vcpuMemories.put(id, owner);
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
