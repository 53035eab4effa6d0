package io.snapgate.vmm.sandbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread per JVM that enforces call deadlines and makes stop requests stick. A stop sent to an
 * emulated vCPU just before it enters the guest is lost, so while a stopped call is still running the
 * watchdog repeats the request every {@link #RETRY_NANOS}. No thread is started per call.
 */
final class Watchdog {
    static final Watchdog INSTANCE = new Watchdog();

    private static final long RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean sleepingIndefinitely;

    private record Watched(RunState state, long call) {
    }

    private Watchdog() {
        thread = new Thread(this::loop, "snapgate-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches {@code call} until it ends: stops it at its deadline. */
    void watch(RunState state, long call) {
        watched.add(new Watched(state, call));
        if (sleepingIndefinitely) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (true) {
            long now = System.nanoTime();
            long wake = Long.MAX_VALUE;
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
                } else {
                    wake = Math.min(wake, s.deadline);
                }
            }
            sleepingIndefinitely = wake == Long.MAX_VALUE;
            if (sleepingIndefinitely && !watched.isEmpty()) {
                continue; // registered while we scanned: its watch() saw us awake and did not unpark
            }
            if (sleepingIndefinitely) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, Math.max(0, Math.min(wake - System.nanoTime(), MAX_SLEEP_NANOS)));
            }
        }
    }
}
