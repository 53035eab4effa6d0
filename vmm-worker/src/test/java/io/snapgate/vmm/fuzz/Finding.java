package io.snapgate.vmm.fuzz;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One kind of crash (or hang): its signature; the smallest reproducer found, programs to run in that order in one
 * new emulator process (one, unless the crash struck a later program's setup: what killed the process was left
 * behind in its pooled engines), and whether it did reproduce that way; the instruction classes it uses; when it
 * struck (run, setup, teardown); how often it was seen; and what the process left of its first sighting (null if
 * nothing).
 */
record Finding(String signature, List<Program> reproducer, boolean reproduced, String stage, int seen,
        CrashReport report) {
    static final String HANG = "hang: did not answer in time, killed";

    Finding {
        reproducer = List.copyOf(reproducer);
    }

    Set<Category> classes() {
        Set<Category> classes = EnumSet.noneOf(Category.class);
        reproducer.forEach(p -> classes.addAll(p.categories()));
        return classes;
    }

    Finding seenAgain() {
        return new Finding(signature, reproducer, reproduced, stage, seen + 1, report);
    }
}
