package io.snapgate.vmm.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A set of CPUs a thread or process may run on. A gateway worker's vCPU thread is pinned to one CPU and its
 * emulator process follows it there: the two take turns, so a hand-over between them is then a switch on one core
 * rather than a wake-up of another (which costs tens of microseconds on a VM whose idle vCPUs halt) or a spin
 * that keeps the other side from running.
 */
public final class CpuAffinity {
    private static final int ESRCH = 3;

    private final long[] mask;

    private CpuAffinity(long[] mask) {
        this.mask = mask;
    }

    /** The CPUs the calling thread may run on. */
    public static CpuAffinity ofCurrentThread() {
        return new CpuAffinity(Libc.cpuAffinity(0));
    }

    /** CPU {@code cpu} alone. */
    public static CpuAffinity only(int cpu) {
        if (cpu < 0 || cpu >= 1024) {
            throw new IllegalArgumentException("CPU " + cpu + " is outside 0..1023");
        }
        long[] mask = new long[cpu / 64 + 1];
        mask[cpu / 64] = 1L << (cpu % 64);
        return new CpuAffinity(mask);
    }

    /** The CPU numbers, ascending. */
    public List<Integer> cpus() {
        List<Integer> cpus = new ArrayList<>();
        for (int word = 0; word < mask.length; word++) {
            for (long bits = mask[word]; bits != 0; bits &= bits - 1) {
                cpus.add(word * 64 + Long.numberOfTrailingZeros(bits));
            }
        }
        return cpus;
    }

    /** Whether this is a single CPU. */
    public boolean isSingleCpu() {
        return Arrays.stream(mask).map(Long::bitCount).sum() == 1;
    }

    /** Lets the calling thread run on these CPUs only. */
    public void applyToCurrentThread() {
        Libc.setCpuAffinity(0, mask);
    }

    /**
     * Lets every thread of process {@code pid} run on these CPUs only: the threads it has now; those it starts
     * later inherit it from theirs.
     */
    public void applyToProcess(long pid) {
        for (int tid : threadIds(pid)) {
            try {
                Libc.setCpuAffinity(tid, mask);
            } catch (SystemCallException e) {
                if (e.errno() != ESRCH) { // a thread that ended meanwhile needs nothing
                    throw e;
                }
            }
        }
    }

    /** Where each thread of process {@code pid} may run (one that ends meanwhile is left out). */
    public static List<CpuAffinity> ofThreadsOf(long pid) {
        List<CpuAffinity> all = new ArrayList<>();
        for (int tid : threadIds(pid)) {
            try {
                all.add(new CpuAffinity(Libc.cpuAffinity(tid)));
            } catch (SystemCallException e) {
                if (e.errno() != ESRCH) {
                    throw e;
                }
            }
        }
        return all;
    }

    private static List<Integer> threadIds(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.map(task -> Integer.parseInt(task.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of process " + pid, e);
        }
    }

    /** As {@code Cpus_allowed_list} shows it, say {@code 0,2,3}. */
    @Override
    public String toString() {
        return cpus().stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
