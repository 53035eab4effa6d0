package io.snapgate.vmm.vcpu.process;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.snapgate.vmm.sys.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One request slot and one response slot in memory shared by the gateway and its emulator process (a memfd that
 * both map), with a sequence number each. A waiter spins briefly (a guest call takes microseconds, and a system
 * call or a cross-core wake-up costs more than that here), unless both sides are pinned to the same CPU, then
 * sleeps on a shared futex, waking every 10 ms to ask whether the other side is still there. A waker calls
 * futex_wake only when the other side said it sleeps. A third word carries stop requests to the child's stop
 * thread, which always sleeps on it; each names its vCPU and the request it was asked during. Another word says
 * until when a turn of queued runs may start more of them.
 */
final class Channel {
    static final int SIZE = 64 << 10;
    static final int REQUEST_SEQUENCE = 0;
    static final int RESPONSE_SEQUENCE = 64;
    static final int STOP_SEQUENCE = 128;
    /** A long: the vCPU the latest stop names (high half) and the request it was asked during (low half). */
    private static final int STOP_REQUEST = 136;
    private static final int CHILD_SLEEPS = 192;
    private static final int PARENT_SLEEPS = 256;
    private static final int SAME_CPU = 320;
    /** A long: the {@link System#nanoTime()} after which a turn of queued runs starts no more of them. */
    private static final int TURN_UNTIL = 384;
    private static final int REQUEST = 1024;
    private static final int RESPONSE = 32 << 10;
    /**
     * How long a waiter busy-waits before it sleeps, unless both sides are pinned to one CPU: a no-op call's run
     * takes a few microseconds. Longer only wastes the core when both processes share one (a busy machine), and
     * yielding instead can cost a whole round of the run queue there; the futex wake-up is prompt.
     */
    private static final long SPIN_NANOS = 10_000;
    private static final long SLEEP_NANOS = 10_000_000;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer shared;
    private final long address;
    /** A struct timespec of {@link #SLEEP_NANOS}: how long one futex sleep lasts at most. */
    private final Memory timeout = new Memory(16);
    private final long timeoutAddress = Pointer.nativeValue(timeout);

    private Channel(MappedByteBuffer shared) {
        this.shared = shared;
        this.address = Pointer.nativeValue(Native.getDirectBufferPointer(shared));
        timeout.setLong(0, 0);
        timeout.setLong(8, SLEEP_NANOS);
    }

    /** Maps the channel file at {@code path} (the parent's memfd, by its /proc path in either process). */
    static Channel open(Path path) {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new Channel(file.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the emulator channel " + path, e);
        }
    }

    /** The request area, cleared for writing. */
    ByteBuffer request() {
        return area(REQUEST, RESPONSE - REQUEST);
    }

    /** The response area, cleared for writing (child) or reading (parent). */
    ByteBuffer response() {
        return area(RESPONSE, SIZE - RESPONSE);
    }

    private ByteBuffer area(int offset, int length) {
        return shared.slice(offset, length).order(ByteOrder.nativeOrder());
    }

    /**
     * Parent: whether both sides may run on one and the same CPU only. Then neither spins: the other side cannot
     * run while it does, and sleeping at once hands the core straight over.
     */
    void sameCpu(boolean same) {
        INT.setVolatile(shared, SAME_CPU, same ? 1 : 0);
    }

    /** Parent: until when the next request's queued runs may start (its first always does). */
    void turnUntil(long nanos) {
        LONG.setVolatile(shared, TURN_UNTIL, nanos);
    }

    /** Child: until when the request's queued runs may start. */
    long turnUntil() {
        return (long) LONG.getVolatile(shared, TURN_UNTIL);
    }

    /** Parent: publishes request {@code sequence}, written before into {@link #request()}. */
    void sendRequest(int sequence) {
        publish(REQUEST_SEQUENCE, sequence, CHILD_SLEEPS);
    }

    /** Child: publishes the response to request {@code sequence}. */
    void sendResponse(int sequence) {
        publish(RESPONSE_SEQUENCE, sequence, PARENT_SLEEPS);
    }

    /** Parent: waits for the response to {@code sequence}; {@code check} runs after every sleep and may throw. */
    void awaitResponse(int sequence, Runnable check) {
        await(RESPONSE_SEQUENCE, sequence - 1, PARENT_SLEEPS, check);
    }

    /** Child: waits for the request after {@code last}; returns its sequence number. */
    int awaitRequest(int last, Runnable check) {
        return await(REQUEST_SEQUENCE, last, CHILD_SLEEPS, check);
    }

    private void publish(int offset, int value, int sleepFlag) {
        INT.setVolatile(shared, offset, value); // a full fence: the flag below is read after the store is visible
        if ((int) INT.getVolatile(shared, sleepFlag) != 0) {
            Libc.futexWake(address + offset);
        }
    }

    private int await(int offset, int from, int sleepFlag, Runnable check) {
        long start = System.nanoTime();
        long spin = (int) INT.getVolatile(shared, SAME_CPU) != 0 ? 0 : SPIN_NANOS;
        int spins = 0;
        int value;
        while ((value = (int) INT.getVolatile(shared, offset)) == from) {
            if (spin > 0 && ((++spins & 15) != 0 || System.nanoTime() - start < spin)) {
                Thread.onSpinWait();
            } else {
                INT.setVolatile(shared, sleepFlag, 1); // a full fence: the value is read again after the flag is out
                if ((int) INT.getVolatile(shared, offset) == from) {
                    Libc.futexWait(address + offset, from, timeoutAddress);
                }
                INT.setVolatile(shared, sleepFlag, 0);
                check.run();
            }
        }
        return value;
    }

    /**
     * Parent, any thread: asks the child to stop vCPU {@code vcpu}'s run in request {@code during} (the one in
     * flight): a stop the child sees only once that request is over must not reach a later one.
     */
    void requestStop(int vcpu, int during) {
        LONG.setVolatile(shared, STOP_REQUEST, (long) vcpu << 32 | Integer.toUnsignedLong(during));
        INT.getAndAdd(shared, STOP_SEQUENCE, 1);
        Libc.futexWake(address + STOP_SEQUENCE);
    }

    /** Child's stop thread: sleeps until the next stop request after {@code last}, or 10 ms; returns the count. */
    int awaitStop(int last) {
        Libc.futexWait(address + STOP_SEQUENCE, last, timeoutAddress);
        return (int) INT.getVolatile(shared, STOP_SEQUENCE);
    }

    /** The latest stop request: the vCPU it names (high half) and the request it was asked during (low half). */
    long stopRequest() {
        return (long) LONG.getVolatile(shared, STOP_REQUEST);
    }
}
