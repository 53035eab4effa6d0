package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.snapgate.vmm.testing.QemuTcg;
import io.snapgate.vmm.testing.TestGuests;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.snapgate.vmm.vcpu.kvm.KvmBackend;
import io.snapgate.vmm.vcpu.process.ProcessBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A guest that tries to break out or break the node (guests/examples/hostile.c), on every backend. Each attempt
 * ({@link HostileAttempts}) ends within its deadline with the answer expected of that backend: a result, a
 * guest error, a crash of one kind or the deadline, never a failure of the backend. Then nothing it did
 * survives, tested the way an attacker would: the same sandbox, restored, reads back the architectural state
 * of a fresh vCPU ({@link Fingerprint}) and answers the attempt's own check as on a fresh sandbox; and a sandbox
 * of another snapshot (testguest) on the same pooled vCPU (the same Unicorn engine, the same KVM VM unless the
 * attempt left it unknown) calls on as on a fresh node.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileGuestTest extends OnEveryBackend {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Map<String, Node> NODES = new ConcurrentHashMap<>();

    /**
     * One backend's sandboxes, shared by the attempts (building them costs more than the attempts): the hostile
     * guest and testguest, and what the hostile one answered while fresh. On the emulated backend they share an
     * emulator process of their own whose pool holds one engine, so testguest always runs on the engine the
     * hostile guest just used; KVM's pool hands back the last VM given to it.
     */
    private static final class Node implements AutoCloseable {
        final VcpuBackend backend;
        final ProcessBackend ownPool;
        final TestGuests.Host host = new TestGuests.Host();
        final Sandbox hostile;
        final Sandbox other;
        final byte[] freshFingerprint;
        final Map<String, String> freshChecks = new LinkedHashMap<>();

        Node(String name, VcpuBackend shared) {
            ownPool = name.equals(UnicornBackend.NAME) ? new ProcessBackend(1) : null;
            backend = ownPool != null ? ownPool : shared;
            other = host.sandbox(backend);
            other.releaseVcpu();
            hostile = Sandbox.builder(TestGuests.elf("hostile")).hostFunctions(host.functions()).backend(backend)
                    .build();
            freshFingerprint = (byte[]) hostile.call("fingerprint");
            for (HostileAttempt attempt : HostileAttempts.all()) {
                if (attempt.check() != null) {
                    freshChecks.computeIfAbsent(attempt.check().toString(), k -> answer(hostile, attempt.check()));
                }
            }
            hostile.releaseVcpu();
        }

        @Override
        public void close() {
            hostile.close();
            other.close();
            if (ownPool != null) {
                ownPool.close();
            }
        }
    }

    /** This backend's node, for an attempt this backend can be asked (QEMU's own SVM emulation keeps some). */
    private Node nodeFor(String attempt) {
        assumeFalse(backendName.equals(KvmBackend.NAME) && QemuTcg.cpuIsEmulated()
                && HostileAttempts.KEPT_BY_QEMU_TCG.contains(attempt), "QEMU's emulation of SVM keeps or crashes on it");
        return node();
    }

    private Node node() {
        return NODES.computeIfAbsent(backendName, name -> new Node(name, backend));
    }

    @AfterAll
    static void closeNodes() {
        NODES.values().forEach(Node::close);
        NODES.clear();
    }

    static List<HostileAttempt> attempts() {
        return HostileAttempts.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void nothingBreaksAndNothingSurvives(HostileAttempt attempt) {
        String name = attempt.toString();
        Node node = nodeFor(name);

        String answer = answer(node.hostile, attempt.call());
        assertThat(answer.split(" ", 2)[0]).as("%s answered %s", name, answer)
                .isIn(attempt.answers(backendName));
        if (node.hostile.isLost()) {
            // It crashed the emulator: its process, and both sandboxes in it, are gone. A node replaces them; the
            // replacements, in a new process, must be as fresh as the first ones.
            assertThat(node.other.isLost()).isTrue();
            node.close();
            NODES.remove(backendName);
            node = node();
        }

        node.hostile.restore(); // as a node does after every call
        byte[] after = (byte[]) node.hostile.call("fingerprint");
        assertThat(Fingerprint.differences(node.freshFingerprint, after)).as("state left by %s", name).isEmpty();
        if (attempt.check() != null) {
            assertThat(answer(node.hostile, attempt.check())).as("%s after %s", attempt.check(), name)
                    .isEqualTo(node.freshChecks.get(attempt.check().toString()));
            node.hostile.restore();
        }
        node.hostile.releaseVcpu();

        assertThat(node.other.call("roundtrip_f64", 1.5)).as("testguest after %s", name).isEqualTo(1.5);
        assertThat(node.other.call("divide_by_zero", 5)).isEqualTo(20);
        node.other.releaseVcpu();
    }

    /**
     * The same attempt in a turn of stateless calls ({@link CallTurns}), between calls of its own sandbox and of
     * another snapshot's: the attempt answers as alone, and the calls after it in the turn find a fresh sandbox
     * and a working vCPU (on KVM the calls run one by one; on the emulated backend in one request).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void nothingBreaksAndNothingSurvivesInATurn(HostileAttempt attempt) {
        String name = attempt.toString();
        Node node = nodeFor(name);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        long later = deadline + DEADLINE.toNanos(); // the calls after it have their time whatever it takes of its own
        List<StatelessCall> calls = List.of(new StatelessCall("fingerprint", new Object[0], deadline),
                new StatelessCall(attempt.function(), attempt.call().arguments(), deadline),
                new StatelessCall("fingerprint", new Object[0], later),
                new StatelessCall("roundtrip_f64", new Object[] {1.5}, later));
        List<CallOutcome> outcomes = Turns.each(List.of(node.hostile, node.hostile, node.hostile, node.other), calls,
                Turns.LATER);
        assertThat(outcomes.get(0).value()).isEqualTo(node.freshFingerprint);
        CallOutcome tried = outcomes.get(1);
        String answer = tried.failure() instanceof SandboxException e ? e.failure() + " " + e.getMessage()
                : HostileAttempt.HARMLESS;
        assertThat(answer.split(" ", 2)[0]).as("%s answered %s in a turn", name, answer)
                .isIn(attempt.answers(backendName));
        if (node.hostile.isLost()) { // it crashed the emulator: the calls after it belong to a new process
            assertThat(outcomes).hasSize(2);
            node.close();
            NODES.remove(backendName);
            return;
        }
        assertThat(outcomes).hasSize(4);
        assertThat(Fingerprint.differences(node.freshFingerprint, (byte[]) outcomes.get(2).value()))
                .as("state left by %s for the next call of the turn", name).isEmpty();
        assertThat(outcomes.get(3).value()).as("testguest after %s in the turn", name).isEqualTo(1.5);
        node.hostile.releaseVcpu();
        node.other.releaseVcpu();
    }

    @Test
    void theSkipListsNameAttemptsThatExist() {
        List<String> names = HostileAttempts.all().stream().map(HostileAttempt::toString).toList();
        assertThat(names).containsAll(HostileAttempts.KEPT_BY_QEMU_TCG)
                .doesNotHaveDuplicates();
        assertThat(HostileAttempts.all()).allSatisfy(a -> assertThat(a.emulated()).isNotEmpty())
                .allSatisfy(a -> assertThat(a.kvm()).isNotEmpty());
    }

    /**
     * What {@code call} answers: {@code HARMLESS <value>}, or the failure and its message (which names the
     * instruction's address: the same state gives the same words).
     */
    private static String answer(Sandbox sandbox, HostileAttempt.Call call) {
        try {
            Object value = sandbox.call(DEADLINE, call.function(), call.arguments());
            return HostileAttempt.HARMLESS + " " + (value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes)
                    : Objects.toString(value));
        } catch (SandboxException e) {
            if (sandbox.status() == SandboxStatus.POISONED && !sandbox.isLost()) {
                sandbox.restore();
            }
            return e.failure() + " " + e.getMessage();
        }
    }
}
