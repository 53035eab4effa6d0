package io.snapgate.vmm.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks what makes a crash (the instructions of a program, or the programs a process ran before it died) to
 * less that still does: drops chunks, halving the chunk size whenever no chunk can go (delta debugging), down to
 * single items. Every try runs programs in an emulator process, so a try that crashes costs a process start and
 * one that hangs seconds: the time spent is bounded, for all the shrinking one crash gets.
 */
final class Minimiser {
    private final long end;

    Minimiser(Duration budget) {
        this.end = System.nanoTime() + budget.toNanos();
    }

    /** The smallest part of {@code items} found for which {@code stillFails} holds. */
    <T> List<T> minimise(List<T> items, Predicate<List<T>> stillFails) {
        List<T> current = new ArrayList<>(items);
        int chunk = Math.max(1, current.size() / 2);
        while (chunk >= 1 && !spent()) {
            boolean dropped = false;
            for (int from = 0; from < current.size() && !spent(); ) {
                List<T> candidate = new ArrayList<>(current);
                candidate.subList(from, Math.min(from + chunk, candidate.size())).clear();
                if (stillFails.test(candidate)) {
                    current = candidate; // the same position now holds what followed
                    dropped = true;
                } else {
                    from += chunk;
                }
            }
            if (!dropped) {
                chunk /= 2;
            }
        }
        return current;
    }

    private boolean spent() {
        return System.nanoTime() - end >= 0;
    }
}
