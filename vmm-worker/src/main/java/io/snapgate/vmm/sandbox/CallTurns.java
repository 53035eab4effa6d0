package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.vcpu.QueuedRun;
import io.snapgate.vmm.vcpu.RunQueue;
import io.snapgate.vmm.vcpu.VcpuLostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stateless calls in turns: each call as {@link Sandbox#call} then {@link Sandbox#restore()} would, on its own
 * sandbox, several per hand-over to the vCPUs' process where they queue runs ({@link RunQueue}: the emulated
 * backend; the sandboxes of one worker thread share its emulator process). The process goes from one call to the
 * next only past a call that ended DONE with its result carried whole, and starts none after the turn's end; a call
 * that needs the host on its way (a host function, a log line), fails or is stopped ends its turn and goes on
 * alone. Elsewhere (KVM, an engine in this process) the calls run one by one.
 */
public final class CallTurns {
    private CallTurns() {
    }

    /**
     * Runs {@code calls} in order, call i on {@code on.get(i)}, and hands each outcome to {@code answer} as soon as
     * it is known (the calls of a turn before a call that goes on alone do not wait for it). Returns how many calls
     * ran: fewer than the calls when {@code until} ({@link System#nanoTime()}) came before the next turn (the first
     * call always starts), or when a sandbox could not be restored after the last one's call (that sandbox is then
     * poisoned or lost, as its {@link Sandbox#status()} says: the rest belong on another).
     */
    public static int callEach(List<Sandbox> on, List<StatelessCall> calls, long until,
            Consumer<CallOutcome> answer) {
        int[] answered = {0};
        Consumer<CallOutcome> counted = outcome -> {
            answered[0]++;
            answer.accept(outcome);
        };
        boolean restored = true;
        while (restored && answered[0] < calls.size() && (answered[0] == 0 || System.nanoTime() - until < 0)) {
            int next = answered[0];
            Sandbox first = on.get(next);
            try {
                RunQueue queue = next + 1 < calls.size() ? first.queued() : null;
                restored = queue != null ? turn(queue, on, calls, next, until, counted)
                        : first.callThenRestore(calls.get(next), counted);
            } catch (VcpuLostException e) { // the process went while the turn was put together
                counted.accept(new CallOutcome(null, first.lost(e), 0));
                restored = false;
            }
        }
        return answered[0];
    }

    /**
     * One turn from call {@code from}: every sandbox in it gets its vCPU first (that may take requests of its own),
     * then the calls are queued while they fit, sent in one go, and their outcomes taken; the call whose run ended
     * the turn goes on alone from its exit. Calls not reached stay for the next turn. False when a sandbox could
     * not be restored.
     */
    private static boolean turn(RunQueue queue, List<Sandbox> on, List<StatelessCall> calls, int from, long until,
            Consumer<CallOutcome> outcomes) {
        int end = from + 1;
        while (end < calls.size() && readyWith(on.get(end), queue)) {
            end++;
        }
        long now = System.nanoTime();
        List<Integer> queued = new ArrayList<>();
        List<FunctionSignature> signatures = new ArrayList<>();
        Map<Sandbox, Long> deadlines = new IdentityHashMap<>();
        for (int i = from; i < end && calls.get(i).deadline() - now > 0; i++) {
            FunctionSignature signature;
            try {
                signature = on.get(i).queue(calls.get(i));
            } catch (VcpuLostException e) {
                throw e; // the process is gone: every sandbox of the turn with it
            } catch (RuntimeException refused) { // its arguments or frame: no guest ran, nothing was queued
                if (queued.isEmpty()) {
                    outcomes.accept(new CallOutcome(null, refused, 0)); // no guest ran: nothing to restore
                    return true;
                }
                break;
            }
            if (signature == null) {
                break;
            }
            queued.add(i);
            signatures.add(signature);
            deadlines.merge(on.get(i), calls.get(i).deadline(), Math::min);
        }
        if (queued.isEmpty()) { // the first call is over its time, or does not fit a turn
            return on.get(from).callThenRestore(calls.get(from), outcomes);
        }
        Map<Sandbox, Long> turns = deadlines;
        turns.replaceAll((sandbox, deadline) -> sandbox.beginTurn(deadline));
        List<QueuedRun> runs;
        Map<Sandbox, Failure> stops = new IdentityHashMap<>();
        try {
            runs = queue.runQueued(until);
        } finally {
            turns.forEach((sandbox, turn) -> {
                Failure stop = sandbox.endTurn(turn);
                if (stop != null) {
                    stops.put(sandbox, stop);
                }
            });
        }
        for (int k = 0; k < runs.size(); k++) {
            QueuedRun run = runs.get(k);
            int i = queued.get(k);
            Sandbox sandbox = on.get(i);
            run.present();
            if (!run.wentOn()) {
                return sandbox.endOfTurn(calls.get(i), signatures.get(k), run, !stops.isEmpty(), stops.get(sandbox),
                        outcomes);
            }
            outcomes.accept(sandbox.returned(calls.get(i), signatures.get(k), run));
        }
        return true;
    }

    /** Whether {@code sandbox} can join a turn sent through {@code queue}: ready, its runs queued there too. */
    private static boolean readyWith(Sandbox sandbox, RunQueue queue) {
        RunQueue own = sandbox.queued();
        return own != null && own.sharesQueueWith(queue);
    }
}
