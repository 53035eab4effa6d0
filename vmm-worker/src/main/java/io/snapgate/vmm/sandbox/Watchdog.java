package io.snapgate.vmm.sandbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread per JVM that enforces call deadlines and makes stop requests stick. A stop sent to an
 * emulated vCPU just before it enters the guest is lost, so while a stopped call is still running the
 * watchdog repeats the request every {@link #RETRY_NANOS}. No thread is started per call.
 *
 * <p>A call wakes the watchdog only when it must be looked at before the watchdog's own next wake: while
 * calls keep coming the watchdog sweeps every {@link #SWEEP_NANOS} and no call pays for waking it (on a
 * small VM that wake cost a busy vCPU thread several microseconds per call). After {@link #LINGER_NANOS}
 * with nothing to watch it sleeps until the next call.
 */
final class Watchdog {
    static final Watchdog INSTANCE = new Watchdog();

    private static final long RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    /** Calls added so far: the loop rescans instead of sleeping when one came in while it scanned. */
    private final AtomicLong added = new AtomicLong();
    /** When the watchdog will look next ({@link System#nanoTime()}); meaningless while {@link #idle}. */
    private volatile long nextWake;
    /** Whether it sleeps until woken. */
    private volatile boolean idle = true;

    private record Watched(RunState state, long call) {
    }

    private Watchdog() {
        thread = new Thread(this::loop, "snapgate-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches {@code call} until it ends: stops it at its deadline. */
    void watch(RunState state, long call) {
        lookBy(state, call, state.deadline);
    }

    /** Watches {@code call}, asked to stop, until it ends: repeats the stop request from now on. */
    void repeatStop(RunState state, long call) {
        lookBy(state, call, System.nanoTime());
    }

    private void lookBy(RunState state, long call, long by) {
        watched.add(new Watched(state, call));
        added.incrementAndGet();
        if (idle || by - nextWake < 0) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        long emptySince = System.nanoTime();
        while (true) {
            long seen = added.get();
            long now = System.nanoTime();
            long wake = now + SWEEP_NANOS;
            for (Watched w : watched) {
                RunState s = w.state();
                Failure stopping = s.stopRequested(w.call());
                if (s.running != w.call() || (stopping == null && s.deadline == Long.MAX_VALUE)) {
                    watched.remove(w);
                } else if (stopping != null) {
                    s.stop(w.call(), stopping);
                    wake = Math.min(wake, now + RETRY_NANOS);
                } else if (now - s.deadline >= 0) {
                    s.stop(w.call(), Failure.TIMED_OUT);
                    wake = Math.min(wake, now + RETRY_NANOS);
                } else if (s.deadline - wake < 0) {
                    wake = s.deadline;
                }
            }
            if (!watched.isEmpty()) {
                emptySince = now;
            }
            boolean sleepUntilWoken = now - emptySince >= LINGER_NANOS;
            nextWake = wake;
            idle = sleepUntilWoken;
            if (added.get() != seen) {
                continue; // a call came in while we scanned: it may have seen the old wake time
            }
            if (sleepUntilWoken) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, Math.max(0, wake - System.nanoTime()));
            }
            idle = false;
        }
    }
}
