package io.snapgate.vmm.vcpu.unicorn;

import io.snapgate.vmm.vcpu.Vcpu;
import io.snapgate.vmm.vcpu.VcpuBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated backend: vCPUs run on Unicorn 2 (software x86-64), so snapgate works without /dev/kvm. vCPUs
 * take warm engines from a pool and give them back on close; {@link #prewarm(int)} fills it ahead of load.
 */
public final class UnicornBackend implements VcpuBackend, AutoCloseable {
    public static final String NAME = "emulated";
    /**
     * Idle engines kept by default. A warm engine holds 1 GiB of address space (Unicorn reserves its translation
     * buffer up front; mind strict overcommit settings) and takes ~6 ms to open and ~2.9 MiB of memory where
     * transparent huge pages are on, ~0.7 ms and ~0.9 MiB where they are off, as in an emulator process.
     */
    public static final int DEFAULT_IDLE_ENGINES = 64;

    private static final Logger LOG = LoggerFactory.getLogger(UnicornBackend.class);

    private final EnginePool pool;

    /** A backend with its own pool of at most {@code maxIdleEngines} idle engines. */
    public UnicornBackend(int maxIdleEngines) {
        this.pool = new EnginePool(maxIdleEngines);
    }

    private static final class Shared {
        static final UnicornBackend INSTANCE = new UnicornBackend(DEFAULT_IDLE_ENGINES);
    }

    /** The process-wide backend with the default pool; never closed. */
    public static UnicornBackend instance() {
        return Shared.INSTANCE;
    }

    private static final class Probe {
        /** Null when Unicorn works here, else why not. */
        static final String PROBLEM = probe();

        private static String probe() {
            try {
                int major = UnicornLib.uc_version(0, 0) >>> 24;
                if (major != 2) {
                    return "libunicorn is version " + major + ".x; snapgate needs 2.x (Debian package libunicorn2)";
                }
                UnicornEngine.open().close();
                return null;
            } catch (LinkageError e) {
                return "libunicorn.so.2 does not load (install the libunicorn2 package): " + e;
            } catch (UnicornException e) {
                return "Unicorn loads but cannot run a guest: " + e.getMessage();
            }
        }

        static {
            if (PROBLEM != null) {
                LOG.warn("the emulated vCPU backend is unavailable: {}", PROBLEM);
            }
        }
    }

    /** Whether libunicorn 2 loads and runs a guest here; probed once per process. */
    public static boolean isAvailable() {
        return Probe.PROBLEM == null;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * A vCPU on an idle engine, preferably one that already holds this code; a new engine (milliseconds) when
     * none is idle. Fails when Unicorn is unavailable.
     */
    @Override
    public Vcpu createVcpu(String codeDigest) {
        requireAvailable();
        return new UnicornVcpu(pool, pool.take(codeDigest));
    }

    /** Opens engines until {@code engines} are idle (at most the pool's size), so the next vCPUs start warm. */
    public void prewarm(int engines) {
        requireAvailable();
        pool.prewarm(engines);
    }

    private static void requireAvailable() {
        if (!isAvailable()) {
            throw new IllegalStateException(Probe.PROBLEM);
        }
    }

    /** Engines waiting in the pool. */
    public int idleEngines() {
        return pool.idleCount();
    }

    /** Closes the idle engines, and every engine given back later. Never call it on {@link #instance()}. */
    @Override
    public void close() {
        pool.close();
    }
}
