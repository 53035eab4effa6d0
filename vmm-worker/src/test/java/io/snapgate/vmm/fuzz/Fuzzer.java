package io.snapgate.vmm.fuzz;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Runs generated programs one after the other until a time is up, and keeps what it learns: how programs ended,
 * one minimised reproducer per crash signature, whether every loss was contained (the next program ran, in a new
 * emulator process). A program that hangs is run again with a long deadline first: a crash that takes seconds to
 * happen (Unicorn zeroing its 1 GiB translation buffer, say) looks like a hang to the short one.
 */
final class Fuzzer {
    /** Most programs end in microseconds; a loop is stopped here. */
    static final Duration DEADLINE = Duration.ofMillis(20);
    /** Long enough for a slow crash on a busy machine. */
    static final Duration SLOW_DEADLINE = Duration.ofSeconds(30);
    /** The latest programs of a process kept for finding what a crash in a later one's set-up follows. */
    private static final int HISTORY = 1000;

    private final EmulatorTarget target;
    private final SplittableRandom random;
    private final ProgramGenerator generator;
    private final Duration minimiseBudget;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private final Map<String, Integer> endings = new TreeMap<>();
    private final List<String> breaches = new ArrayList<>();
    private long programs;
    private long losses;
    private long contained;
    private int lostPid;
    /** The programs that ran in process {@code historyPid} so far: what a crash in a later one's set-up follows. */
    private final Deque<Program> history = new ArrayDeque<>();
    private int historyPid;

    /** {@code minimiseBudget}: how long to spend shrinking each new crash's program. */
    Fuzzer(EmulatorTarget target, long seed, Duration minimiseBudget) {
        this.target = target;
        this.generator = new ProgramGenerator(new Targets(target.layout()));
        this.random = new SplittableRandom(seed);
        this.minimiseBudget = minimiseBudget;
    }

    /** Fuzzes for {@code duration} (minimising included). */
    void run(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            runOne(generator.next(random));
        }
    }

    /** One last program that must run to its end: the last loss, if any, was contained too. */
    void finish() {
        Outcome last = execute(Program.of(), DEADLINE);
        if (!(last instanceof Outcome.Ended ended && ended.how().equals("done"))) {
            breaches.add("an empty program after the run ended with " + last);
        }
    }

    /** Runs one program and records what happened; its crash, if it crashes, is minimised when new. */
    void runOne(Program program) {
        List<Program> before = List.copyOf(history);
        Duration deadline = DEADLINE;
        Outcome outcome = execute(program, deadline);
        if (outcome instanceof Outcome.Hung hung && hung.stage().equals("run")) {
            deadline = SLOW_DEADLINE;
            outcome = execute(program, deadline);
        }
        if (outcome instanceof Outcome.Ended ended) {
            endings.merge(ended.how(), 1, Integer::sum);
            return;
        }
        String signature = signature(outcome);
        Finding known = findings.get(signature);
        if (known != null) {
            findings.put(signature, known.seenAgain());
            generator.damp(known.classes());
            return;
        }
        findings.put(signature, newFinding(signature, outcome, program, before, deadline));
    }

    /**
     * The finding of a crash not seen before: its program (or, when it struck a program's setup, the programs
     * {@code before} it in that process) run again and, if it crashes the same way again, minimised.
     */
    private Finding newFinding(String signature, Outcome outcome, Program program, List<Program> before,
            Duration deadline) {
        Outcome.Crashed crash = outcome instanceof Outcome.Crashed c ? c : null;
        String stage = crash != null ? crash.stage() : ((Outcome.Hung) outcome).stage();
        Minimiser minimiser = new Minimiser(minimiseBudget);
        Predicate<Outcome> same = o -> signature.equals(signature(o));
        List<Program> reproducer;
        boolean reproduced;
        if (stage.equals("setup") && !before.isEmpty()) {
            // the program never ran: what killed its process was left in its pooled engines by the ones before
            stage = "the setup of the program after them";
            Predicate<List<Program>> poisons = list -> same.test(executeFresh(list, deadline));
            reproduced = poisons.test(before);
            reproducer = reproduced ? minimiser.minimise(before, poisons) : before;
            if (reproduced && reproducer.size() == 1) {
                reproducer = List.of(new Program(minimiser.minimise(reproducer.get(0).body(),
                        body -> poisons.test(List.of(new Program(body))))));
            }
        } else {
            Predicate<List<Insn>> crashes = body -> same.test(execute(new Program(body), deadline));
            reproduced = crashes.test(program.body());
            reproducer = List.of(reproduced ? new Program(minimiser.minimise(program.body(), crashes)) : program);
        }
        return new Finding(signature, reproducer, reproduced, stage, 1, crash == null ? null : crash.report());
    }

    /**
     * Runs a program, counting it and checking that a loss before it was contained: that it ran, in another
     * process.
     */
    private Outcome execute(Program program, Duration deadline) {
        programs++;
        return account(program, target.run(program, deadline));
    }

    /**
     * Runs {@code programs} then an empty one in a new emulator process, until one of them does not end: what the
     * programs leave behind in the process's pooled engines must kill it for that one.
     */
    private Outcome executeFresh(List<Program> programs, Duration deadline) {
        List<Program> all = new ArrayList<>(programs);
        all.add(Program.of());
        this.programs += all.size();
        return account(null, target.runFresh(all, deadline));
    }

    private Outcome account(Program program, Outcome outcome) {
        if (lostPid != 0) {
            if (target.lastPid() == lostPid) {
                breaches.add("a program ran in process " + lostPid + " after it was lost");
            } else {
                contained++;
            }
            lostPid = 0;
        }
        if (target.lastPid() != historyPid) {
            history.clear();
            historyPid = target.lastPid();
        }
        if (!(outcome instanceof Outcome.Ended)) {
            losses++;
            lostPid = target.lastPid();
            history.clear(); // it went with its process
        } else if (program != null) {
            history.addLast(program);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        return outcome;
    }

    static String signature(Outcome outcome) {
        if (outcome instanceof Outcome.Crashed crashed) {
            return crashed.signature();
        }
        return outcome instanceof Outcome.Hung hung ? Finding.HANG + " (" + hung.stage() + ")" : "ended";
    }

    long programs() {
        return programs;
    }

    long losses() {
        return losses;
    }

    long contained() {
        return contained;
    }

    List<String> breaches() {
        return breaches;
    }

    Map<String, Integer> endings() {
        return endings;
    }

    Map<String, Finding> findings() {
        return findings;
    }
}
