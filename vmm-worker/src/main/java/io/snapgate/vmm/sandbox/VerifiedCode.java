package io.snapgate.vmm.sandbox;

import io.snapgate.store.fs.FileStat;
import io.snapgate.vmm.memory.Region;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The code digests this process computed from memory blobs, by the state of the file they were computed from, so
 * that loading an unchanged blob again need not hash its code again (17 us for 16 KiB here, on every cold start).
 * The index, manifest and config are still read and checked on every load, and the blob opened, checked and mapped;
 * only the hash of bytes already hashed is skipped.
 *
 * <p>Sound because a file state names its bytes: the device and inode name the file (the store never rewrites a
 * blob in place), and any write to it changes its ctime, which no system call sets to a chosen value. A state
 * whose ctime is within {@link #RACY_MILLIS} of now is not remembered: a write in the same clock tick as the stat
 * could leave the ctime as it was (git's "racily clean" entries), and a blob is that young only just after a save.
 */
final class VerifiedCode {
    /** A coarse file timestamp lags the clock by a tick (a few ms); a second is ample. */
    static final long RACY_MILLIS = 1000;
    /** More than the blobs one process maps at a time; the map is emptied when it reaches this. */
    static final int CAPACITY = 1024;

    static final VerifiedCode PROCESS = new VerifiedCode(System::currentTimeMillis);

    /** A file state and the code regions hashed in it (the same file under another layout has other code). */
    private record State(String memoryDigest, long device, long inode, long size, long mtimeSeconds, int mtimeNanos,
            long ctimeSeconds, int ctimeNanos, List<Region> code) {
    }

    private final LongSupplier clock;
    private final Map<State, String> digests = new ConcurrentHashMap<>();

    VerifiedCode(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * The digest of {@code code} in the blob {@code memoryDigest} whose file was {@code file}: remembered, or
     * {@code hash}ed now (and remembered unless the file changed too recently to tell a later change apart).
     */
    String digest(String memoryDigest, FileStat file, List<Region> code, Supplier<String> hash) {
        State state = new State(memoryDigest, file.device(), file.inode(), file.size(), file.mtimeSeconds(),
                file.mtimeNanos(), file.ctimeSeconds(), file.ctimeNanos(), code);
        String known = digests.get(state);
        if (known != null) {
            return known;
        }
        String computed = hash.get();
        if (file.ctimeSeconds() * 1000 + file.ctimeNanos() / 1_000_000 < clock.getAsLong() - RACY_MILLIS) {
            if (digests.size() >= CAPACITY) {
                digests.clear();
            }
            digests.put(state, computed);
        }
        return computed;
    }
}
