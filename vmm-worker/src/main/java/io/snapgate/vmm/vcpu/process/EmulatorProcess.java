package io.snapgate.vmm.vcpu.process;

import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.memory.ResetStrategy;
import io.snapgate.vmm.sys.CpuAffinity;
import io.snapgate.vmm.vcpu.QueuedRun;
import io.snapgate.vmm.vcpu.VcpuLostException;
import io.snapgate.vmm.vcpu.VmExit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's end of one emulator process ({@link EmulatorMain}): starts it, sends it requests one at a time
 * and notices when it dies. Once it is lost (it died, it did not stop within {@link #STOP_GRACE_NANOS} of being
 * asked to, or it did not answer another request within {@link #REQUEST_TIMEOUT_NANOS}), every request fails
 * with {@link VcpuLostException}; nothing it held can be had back.
 */
final class EmulatorProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorProcess.class);
    /** A stopped guest returns within microseconds; a process that has not answered a second later is killed. */
    static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /**
     * Deferred guest memory work rides along with a request: at most this many bytes of it (a call frame usually
     * fits).
     */
    private static final int WRITES_MAX = 16 << 10;
    /** A deferred record's memory id, address and length (or kind); a write's bytes follow it. */
    private static final int RECORD_BYTES = 16;
    /** A run record: a record and its done port. */
    private static final int RUN_RECORD_BYTES = RECORD_BYTES + 4;
    /**
     * A request other than a guest run is host work of seconds at most (the slowest copies a whole guest memory
     * for a snapshot): one not answered this long is stuck, say Unicorn looping in {@code uc_mem_map_ptr} on state
     * an earlier guest left in a pooled engine, and the process is killed. A run has no such limit: its caller stops
     * it when it must.
     */
    static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Process process;
    private final MemoryFile channelFile;
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private int sequence;
    /** Changes whenever guest memory may have changed: a request, a write. Guarded by {@link #lock}'s owner. */
    private volatile int generation;
    /**
     * Guest memory work to send with the next request, in order: writes (memory id, address, length, bytes) and
     * resets (memory id, strategy, {@link Wire#RESET_RECORD}).
     */
    private final ByteBuffer writes = ByteBuffer.allocate(WRITES_MAX).order(ByteOrder.nativeOrder());
    private int writeCount;
    /** Runs among {@link #writes} ({@link Wire#RUN_RECORD}): only {@link #runQueued} may send them. */
    private int queuedRuns;
    /** Guest bytes the last run's answer carried (the output buffer's frame), valid for one generation. */
    private int carriedMemory;
    private long carriedAddress;
    private byte[] carried;
    private int carriedGeneration = -1;
    private int nextId;
    /** The request sent last: a stop asked now is meant for it. */
    private volatile int inFlight;
    /** Why the process is lost; null while it serves. */
    private volatile String lost;
    /**
     * System.nanoTime() of the first stop request since the request in flight was sent; 0 when none. Counts for
     * a run only: a stop that comes between requests (just after a run's answer, from a stopper that has not
     * seen it yet) is forgotten at the next request, which it was not meant for.
     */
    private volatile long stopAsked;
    private long startedNanos;
    /** Whether the request waiting for its answer runs the guest, and when it was sent. */
    private boolean running;
    private long sentNanos;

    private EmulatorProcess(Process process, MemoryFile channelFile, Channel channel) {
        this.process = process;
        this.channelFile = channelFile;
        this.channel = channel;
    }

    /**
     * Starts an emulator process that keeps up to {@code idleEngines} warm engines, and waits until it answers.
     * {@code crashReports}: a folder where the process leaves what says where it died, should it crash: the JVM's
     * error report ({@code hs_err_pid<pid>.log}) and its output ({@code output_pid<pid>.log}, where Unicorn says
     * why it aborts); null for neither, its output going to ours.
     */
    static EmulatorProcess start(int idleEngines, Path crashReports) {
        MemoryFile channelFile = MemoryFile.anonymous("snapgate-emulator-channel", Channel.SIZE);
        try {
            Channel channel = Channel.open(Path.of(channelFile.procPath()));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:-UsePerfData", "-Xss1m",
                    // a crash is expected here, and a tenant could cause many: no core, and no error report unless
                    // asked for (writing one takes long, and the banner would flood the gateway's output)
                    crashReports == null ? "-XX:+SuppressFatalErrorMessage"
                            : "-XX:ErrorFile=" + crashReports.resolve("hs_err_pid%p.log"), "-XX:-CreateCoredumpOnCrash",
                    "-Dslf4j.internal.verbosity=WARN", "-cp", System.getProperty("java.class.path"),
                    EmulatorMain.class.getName(), channelFile.procPath(), Integer.toString(idleEngines)));
            ProcessBuilder builder = new ProcessBuilder(command);
            Path output = crashReports == null ? null : Files.createTempFile(crashReports, "starting-", ".log");
            if (output == null) {
                builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            } else {
                builder.redirectErrorStream(true).redirectOutput(output.toFile());
            }
            Process process = builder.start();
            if (output != null) {
                try {
                    Files.move(output, crashReports.resolve("output_pid" + process.pid() + ".log"));
                } catch (IOException e) {
                    process.destroyForcibly();
                    throw e;
                }
            }
            EmulatorProcess emulator = new EmulatorProcess(process, channelFile, channel);
            emulator.startedNanos = System.nanoTime();
            long pid = emulator.call(Wire.PING, out -> { }, ByteBuffer::getLong);
            LOG.debug("emulator process {} started in {} ms", pid,
                    (System.nanoTime() - emulator.startedNanos) / 1_000_000);
            return emulator;
        } catch (IOException e) {
            channelFile.release();
            throw new UncheckedIOException("cannot start the emulator process", e);
        } catch (RuntimeException e) {
            channelFile.release();
            throw e;
        }
    }

    int pid() {
        return (int) process.pid();
    }

    /** Requests sent so far. */
    int requestsSent() {
        return sequence;
    }

    /** A new id for a memory or vCPU of this process. */
    int newId() {
        lock.lock();
        try {
            return ++nextId;
        } finally {
            lock.unlock();
        }
    }

    /** Changes whenever guest memory may have changed (a request was sent, or a write made). */
    int generation() {
        return generation;
    }

    /** A write made directly to the process's memory. */
    void changed() {
        generation++;
    }

    /**
     * Keeps a write of guest memory {@code memory} to send with the next request, which applies it before its own
     * operation; false when it does not fit there (the caller then writes it itself).
     */
    boolean deferWrite(int memory, long address, byte[] bytes) {
        lock.lock();
        try {
            if (writes.remaining() < RECORD_BYTES + bytes.length) {
                requireNoQueuedRuns();
                flushWrites(); // keeps the order: what was deferred lands before the caller's own write
                return false;
            }
            writes.putInt(memory).putLong(address).putInt(bytes.length).put(bytes);
            writeCount++;
            generation++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps a reset of guest memory {@code memory} to send with the next request: a stateless call's restore then
     * costs no round trip of its own. Should the process fail to reset it, the process ends (and is lost), so
     * nothing runs on what the last guest left there.
     */
    void deferReset(int memory, ResetStrategy strategy) {
        lock.lock();
        try {
            if (writes.remaining() < RECORD_BYTES) {
                requireNoQueuedRuns();
                flushWrites();
            }
            writes.putInt(memory).putLong(strategy.ordinal()).putInt(Wire.RESET_RECORD);
            writeCount++;
            generation++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@code writeBytes} of deferred writes (in records of their own), a queued run, a reset and a seed
     * write after it fit what is deferred so far.
     */
    boolean fits(int writeBytes) {
        return writes.remaining() >= RECORD_BYTES + writeBytes + RUN_RECORD_BYTES + RECORD_BYTES + RECORD_BYTES + 8;
    }

    /** Queues a run of vCPU {@code vcpu} from {@code entry} after the deferred work so far ({@link #fits} first). */
    void queueRun(int vcpu, long entry, int donePort) {
        lock.lock();
        try {
            if (writes.remaining() < RUN_RECORD_BYTES) {
                throw new IllegalStateException("no room left to queue a run: ask fits() first");
            }
            writes.putInt(vcpu).putLong(entry).putInt(Wire.RUN_RECORD).putInt(donePort);
            writeCount++;
            queuedRuns++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends the deferred work with its queued runs, none to start after {@code until} ({@link System#nanoTime()},
     * the same clock in both processes) but the first, and returns what became of each run that started. When the
     * process is lost in a run, the runs before it are answered as the process left them in the shared answer
     * area (it counts each run there before starting it), and that run's exit is {@link VmExit.Lost}: the calls
     * after it, not started, can run elsewhere.
     */
    List<QueuedRun> runQueued(long until) {
        ByteBuffer answer = channel.response();
        answer.putInt(0, Wire.FAILED).putInt(4, 0); // so that a process lost before its first run leaves no count
        int queued = queuedRuns;
        try {
            channel.turnUntil(until);
            return call(Wire.RUN_QUEUED, out -> { }, in -> queuedRuns(in, startedOf(in.getInt(), queued)));
        } catch (VcpuLostException e) {
            List<QueuedRun> runs = new ArrayList<>();
            try {
                if (answer.getInt() == Wire.OK) {
                    runs.addAll(queuedRuns(answer, startedOf(answer.getInt(), queued) - 1));
                }
            } catch (RuntimeException malformed) {
                runs.clear(); // what a dying process left half-written: the loss is the turn's first run's
            }
            runs.add(lostRun(e.getMessage()));
            return runs;
        } catch (RuntimeException e) {
            // a failed or malformed answer: which runs ran, and which resets were applied, is unknown
            process.destroyForcibly();
            VcpuLostException gone = lose("the emulator process (pid " + process.pid() + ") answered a turn of calls"
                    + " with " + e.getMessage() + ", and was killed");
            return List.of(lostRun(gone.getMessage()));
        }
    }

    /** The run the process was lost in: it carries nothing. */
    private static QueuedRun lostRun(String reason) {
        return new QueuedRun(new VmExit.Lost(reason, 0), 0, false, () -> { });
    }

    /** {@code count}, checked: a turn's answer covers at least one of the runs queued and no more than those. */
    private static int startedOf(int count, int queued) {
        if (count < 1 || count > queued) {
            throw new IllegalStateException("malformed answer over the emulator channel: " + count + " runs of "
                    + queued + " queued");
        }
        return count;
    }

    private List<QueuedRun> queuedRuns(ByteBuffer in, int count) {
        List<QueuedRun> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long nanos = in.getLong();
            boolean wentOn = in.getInt() != 0;
            VmExit exit = Wire.getExit(in);
            Carried output = carried(in);
            runs.add(new QueuedRun(exit, nanos, wentOn, () -> present(output)));
        }
        return runs;
    }

    private void requireNoQueuedRuns() {
        if (queuedRuns > 0) {
            throw new IllegalStateException("deferred work does not fit beside the queued runs: ask fits() first");
        }
    }

    /** Sends the deferred work now (with an empty request), for a read that must see it. */
    void flushWrites() {
        if (writeCount > 0) {
            call(Wire.PING, out -> { }, in -> null);
        }
    }

    /** The bytes the last run's answer carried, if they cover [address, address + length) of that memory. */
    ByteBuffer carried(int memory, long address, int length) {
        byte[] bytes = carried;
        if (bytes == null || carriedGeneration != generation || carriedMemory != memory || address < carriedAddress
                || address - carriedAddress > bytes.length - length) {
            return null;
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position((int) (address - carriedAddress));
    }

    /** Takes what a run's answer carries after the exit: a memory's bytes, or none (memory id 0). */
    void carry(ByteBuffer answer) {
        present(carried(answer));
    }

    /** Guest bytes an answer carried after a run's exit; null for none (memory id 0). */
    private static Carried carried(ByteBuffer answer) {
        int memory = answer.getInt();
        if (memory == 0) {
            return null;
        }
        long address = answer.getLong();
        byte[] bytes = new byte[Wire.checkedLength(answer, answer.getInt())];
        answer.get(bytes);
        return new Carried(memory, address, bytes);
    }

    /** From now until guest memory may change again, reads of {@code output}'s span see its bytes. */
    private void present(Carried output) {
        if (output != null) {
            carriedMemory = output.memory();
            carriedAddress = output.address();
            carried = output.bytes();
            carriedGeneration = generation;
        }
    }

    private record Carried(int memory, long address, byte[] bytes) {
    }

    /**
     * Lets the process run where {@code cpus} say only (those of the thread that drives it); when that is one CPU,
     * neither side spins while it waits for the other. A process it cannot be applied to runs anywhere, as before.
     */
    void follow(CpuAffinity cpus) {
        try {
            cpus.applyToProcess(process.pid());
            channel.sameCpu(cpus.isSingleCpu());
        } catch (RuntimeException e) {
            LOG.warn("emulator process {} runs on any CPU: cannot pin it to CPUs {}: {}", process.pid(), cpus,
                    e.getMessage());
        }
    }

    boolean isLost() {
        return lost != null;
    }

    /**
     * Sends operation {@code op} with the fields {@code request} writes, and returns what {@code answer} reads
     * from the reply. Throws {@link VcpuLostException} when the process is lost, before or during the request,
     * and IllegalStateException with the process's message when the operation failed there.
     */
    <T> T call(int op, Consumer<ByteBuffer> request, Function<ByteBuffer, T> answer) {
        lock.lock();
        try {
            if (lost != null) {
                writes.clear(); // nothing deferred can reach a process that is gone
                writeCount = 0;
                queuedRuns = 0;
                throw new VcpuLostException(lost);
            }
            if (queuedRuns > 0 && op != Wire.RUN_QUEUED) {
                throw new IllegalStateException("runs are queued: send them (runQueued) before another request");
            }
            ByteBuffer out = channel.request();
            try {
                out.putInt(writeCount).put(writes.flip());
                out.putInt(op);
                request.accept(out);
            } catch (RuntimeException e) {
                // the deferred work (resets among it) is spent: the process cannot be trusted with later requests
                process.destroyForcibly();
                throw lose("a request to the emulator process (pid " + process.pid() + ") could not be written: "
                        + e);
            } finally {
                writes.clear();
                writeCount = 0;
                queuedRuns = 0;
            }
            generation++;
            int call = ++sequence;
            running = op == Wire.VCPU_ENTER || op == Wire.VCPU_RESUME || op == Wire.RUN_QUEUED;
            sentNanos = System.nanoTime();
            stopAsked = 0; // a stop meant for this run, asked before it was sent, is repeated by its stopper
            inFlight = call;
            channel.sendRequest(call);
            channel.awaitResponse(call, this::checkAlive);
            ByteBuffer in = channel.response();
            if (in.getInt() == Wire.FAILED) {
                throw new IllegalStateException(Wire.getString(in));
            }
            return answer.apply(in);
        } finally {
            lock.unlock();
        }
    }

    /** Runs while a request waits: throws once the process is dead, stuck past a stop, or stuck in host work. */
    private void checkAlive() {
        if (!process.isAlive()) {
            throw lose("the emulator process (pid " + process.pid() + ") died: " + exitDescription());
        }
        long asked = stopAsked;
        if (running && asked != 0 && System.nanoTime() - asked > STOP_GRACE_NANOS) {
            process.destroyForcibly();
            throw lose("the emulator process (pid " + process.pid() + ") did not stop within "
                    + TimeUnit.NANOSECONDS.toMillis(STOP_GRACE_NANOS) + " ms of being asked to, and was killed");
        }
        if (!running && sequence != 1 && System.nanoTime() - sentNanos > REQUEST_TIMEOUT_NANOS) {
            process.destroyForcibly();
            throw lose("the emulator process (pid " + process.pid() + ") did not answer a request within "
                    + TimeUnit.NANOSECONDS.toSeconds(REQUEST_TIMEOUT_NANOS) + " s, and was killed");
        }
        if (sequence == 1 && System.nanoTime() - startedNanos > START_TIMEOUT_NANOS) {
            process.destroyForcibly();
            throw lose("the emulator process (pid " + process.pid() + ") did not start within 60 s");
        }
    }

    private String exitDescription() {
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status = process.exitValue();
        if (status == EmulatorMain.RESET_FAILED) {
            return "it could not reset a guest memory, and ended so that nothing runs on it";
        }
        return status > 128 ? "killed by signal " + Signals.name(status - 128) : "exit status " + status;
    }

    private VcpuLostException lose(String reason) {
        lost = reason;
        LOG.warn("{}; the guest memory and vCPUs it held are lost", reason);
        return new VcpuLostException(reason);
    }

    /** Asks the process to stop vCPU {@code vcpu}'s run. Any thread. */
    void requestStop(int vcpu) {
        if (lost == null) {
            if (stopAsked == 0) {
                stopAsked = System.nanoTime();
            }
            channel.requestStop(vcpu, inFlight);
        }
    }

    /** Ends the process: what it holds goes with it. */
    @Override
    public void close() {
        if (lost == null) {
            lost = "the emulator process was closed";
        }
        try {
            process.getOutputStream().close(); // EOF: the process exits by itself
        } catch (IOException e) {
            process.destroy();
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        channelFile.release();
    }
}
