package io.snapgate.vmm.vcpu.process;

import io.snapgate.vmm.memory.MemoryFile;
import io.snapgate.vmm.vcpu.VcpuLostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * and notices when it dies. Once it is lost (it died, or it did not stop within {@link #STOP_GRACE_NANOS} of being
 * asked to), every request fails with {@link VcpuLostException}; nothing it held can be had back.
 */
final class EmulatorProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorProcess.class);
    /** A stopped guest returns within microseconds; a process that has not answered a second later is killed. */
    static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Process process;
    private final MemoryFile channelFile;
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    /** Requests sent so far: any of them may have changed guest memory (see {@link #requests()}). */
    private volatile int sequence;
    private int nextId;
    /** Why the process is lost; null while it serves. */
    private volatile String lost;
    /** System.nanoTime() of the first stop request not yet followed by an answer; 0 when none. */
    private volatile long stopAsked;
    private long startedNanos;

    private EmulatorProcess(Process process, MemoryFile channelFile, Channel channel) {
        this.process = process;
        this.channelFile = channelFile;
        this.channel = channel;
    }

    /** Starts an emulator process and waits until it answers. */
    static EmulatorProcess start() {
        MemoryFile channelFile = MemoryFile.anonymous("snapgate-emulator-channel", Channel.SIZE);
        try {
            Channel channel = Channel.open(Path.of(channelFile.procPath()));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:-UsePerfData", "-Xss1m",
                    // a crash is expected here, and a tenant could cause many: no hs_err file, no core dump
                    "-XX:ErrorFile=/dev/null", "-XX:-CreateCoredumpOnCrash",
                    "-Dslf4j.internal.verbosity=WARN", "-cp", System.getProperty("java.class.path"),
                    EmulatorMain.class.getName(), channelFile.procPath()));
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
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

    /** A new id for a memory or vCPU of this process. */
    int newId() {
        lock.lock();
        try {
            return ++nextId;
        } finally {
            lock.unlock();
        }
    }

    /** Changes whenever a request (which may have run the guest, or changed its memory) was sent. */
    int requests() {
        return sequence;
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
                throw new VcpuLostException(lost);
            }
            ByteBuffer out = channel.request();
            out.putInt(op);
            request.accept(out);
            int call = ++sequence;
            channel.sendRequest(call);
            channel.awaitResponse(call, this::checkAlive);
            stopAsked = 0;
            ByteBuffer in = channel.response();
            if (in.getInt() == Wire.FAILED) {
                throw new IllegalStateException(Wire.getString(in));
            }
            return answer.apply(in);
        } finally {
            lock.unlock();
        }
    }

    /** Runs while a request waits: throws once the process is dead, or stuck past a stop. */
    private void checkAlive() {
        if (!process.isAlive()) {
            throw lose("the emulator process (pid " + process.pid() + ") died: " + exitDescription());
        }
        long asked = stopAsked;
        if (asked != 0 && System.nanoTime() - asked > STOP_GRACE_NANOS) {
            process.destroyForcibly();
            throw lose("the emulator process (pid " + process.pid() + ") did not stop within "
                    + TimeUnit.NANOSECONDS.toMillis(STOP_GRACE_NANOS) + " ms of being asked to, and was killed");
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
            channel.requestStop(vcpu);
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
