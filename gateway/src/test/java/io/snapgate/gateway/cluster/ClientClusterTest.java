package io.snapgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.partition.Partition;
import io.snapgate.client.CallResult;
import io.snapgate.client.ErrorCode;
import io.snapgate.client.Session;
import io.snapgate.client.SnapgateClient;
import io.snapgate.client.SnapgateException;
import io.snapgate.client.SnapshotInfo;
import io.snapgate.gateway.testing.NodeProcess;
import io.snapgate.gateway.testing.Waits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A client application in its own JVM (this one, never a gateway) joined as a lite member, with the documented
 * client/lite-member.xml, to two gateways in two other JVMs over one store: stateless and session calls through
 * the typed client, its typed errors, and node 1 killed with -9 under its calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientClusterTest {
    private TestCluster cluster;
    private NodeProcess n1;
    private NodeProcess n2;
    private ClientMember member;
    private SnapgateClient client;

    @BeforeAll
    void startClusterAndJoin() {
        cluster = new TestCluster(2, List.of());
        Path store = cluster.exampleStore("store");
        n1 = cluster.start(0, store);
        n2 = cluster.start(1, store);
        for (NodeProcess n : List.of(n1, n2)) {
            n.awaitListening(TestCluster.START).awaitMembers(2, Duration.ofSeconds(30));
        }
        member = ClientMember.join(cluster);
        client = SnapgateClient.create(member.vertx());
    }

    @AfterAll
    void stop() {
        if (member != null) {
            member.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theClientJoinsAsALiteMemberThatHoldsNoPartitions() {
        assertThat(member.hazelcast().getCluster().getLocalMember().isLiteMember()).isTrue();
        assertThat(member.hazelcast().getCluster().getMembers()).hasSize(3);
        for (Partition p : member.hazelcast().getPartitionService().getPartitions()) {
            assertThat(p.getOwner()).isNotNull().isNotEqualTo(member.hazelcast().getCluster().getLocalMember());
        }
    }

    @Test
    @Order(2)
    void statelessCallsReachBothNodesAndSessionsKeepTheirState() {
        for (int i = 0; i < 6; i++) {
            assertThat(client.call("hello", "add", i, 1).await().asInt()).isEqualTo(i + 1);
        }
        Waits.until("both nodes ran calls", Duration.ofSeconds(10), () -> {
            client.call("hello", "greet", "both").await();
            return calls(n1) > 0 && calls(n2) > 0;
        });
        assertThat(client.snapshots().await()).flatExtracting(SnapshotInfo::tags).contains("hello", "testguest");
        assertThat(client.snapshot("hello").await().json().getJsonArray("holders")).hasSize(2);

        Session session = client.openSession("testguest").await();
        for (int i = 1; i <= 3; i++) {
            assertThat(session.call("add_to_static", 5).await().asInt()).isEqualTo(5 * i);
        }
        session.restore().await();
        assertThat(session.call("get_static").await().asInt()).isZero();
        session.close().await();
        assertThat(failure(session.call("get_static")).code()).isEqualTo(ErrorCode.UNKNOWN_SESSION);
    }

    @Test
    @Order(3)
    void failuresAreTypedAsRestGivesThem() {
        SnapgateException unknown = failure(client.call("hello", "nope"));
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_FUNCTION);
        assertThat(unknown.details().getJsonArray("functions")).isNotEmpty();
        SnapgateException invalid = failure(client.call("hello", "add", "two", 2));
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(invalid.details().getInteger("argument")).isZero();
        // the longest deadline: the crash takes seconds on a busy machine (Unicorn zeroes 1 GiB first)
        SnapgateException crashed = failure(client.call(Duration.ofSeconds(30), "testguest", "arm_debug_registers"));
        assertThat(crashed.code()).isEqualTo(ErrorCode.GUEST_CRASHED);
        assertThat(crashed.getMessage()).contains("emulator failed");
        assertThat(client.call("testguest", "add", 2, 3).await().asInt()).as("the node goes on").isEqualTo(5);
        SnapgateException late = failure(client.call(Duration.ofMillis(200), "testguest", "spin"));
        assertThat(late.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(late.status()).isEqualTo(504);
    }

    @Test
    @Order(4)
    void killNineUnderItsCallsGivesNoWrongAnswerAndTheSessionThereIsGone() throws Exception {
        String dead = n1.node();
        Session onNode1 = openOn(dead);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger okAfterKill = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        Map<ErrorCode, Integer> failed = new ConcurrentHashMap<>();
        List<Promise<Void>> loops = List.of(Promise.promise(), Promise.promise(), Promise.promise(),
                Promise.promise(), Promise.promise(), Promise.promise(), Promise.promise(), Promise.promise());
        for (int c = 0; c < loops.size(); c++) {
            int loop = c;
            member.vertx().runOnContext(v -> callsUntilStopped(loop, 0, running, killed, ok, okAfterKill, wrong,
                    failed, loops.get(loop)));
        }
        Waits.sleep(1_500);
        n1.kill9();
        killed.set(true);
        Waits.sleep(3_000);
        running.set(false);
        Future.all(loops.stream().map(Promise::future).toList()).await();
        System.out.printf("kill -9 under the client's calls: %d ok (%d after the kill), %d wrong, failed: %s%n",
                ok.get(), okAfterKill.get(), wrong.get(), failed);
        assertThat(wrong.get()).isZero();
        assertThat(okAfterKill.get()).isPositive();
        assertThat(failed.keySet()).as("a failure is a clear UNAVAILABLE or nothing").isSubsetOf(ErrorCode.UNAVAILABLE);

        SnapgateException gone = failure(onNode1.call("get_static"));
        assertThat(gone.code()).isEqualTo(ErrorCode.SESSION_GONE);
        assertThat(gone.getMessage()).contains(dead);
        assertThat(client.call("hello", "add", 20, 22).await().asInt()).isEqualTo(42);
    }

    /** A session the event bus happened to open on {@code node} (a few tries: the client spreads them). */
    private Session openOn(String node) {
        for (int i = 0; i < 20; i++) {
            Session s = client.openSession("testguest").await();
            if (s.id().startsWith(node + ".")) {
                return s;
            }
            s.close().await();
        }
        throw new AssertionError("no session opened on " + node + " in 20 tries");
    }

    /** One client loop: add(loop, i), checked, until stopped; counts every outcome. */
    private void callsUntilStopped(int loop, int i, AtomicBoolean running, AtomicBoolean killed, AtomicInteger ok,
            AtomicInteger okAfterKill, AtomicInteger wrong, Map<ErrorCode, Integer> failed, Promise<Void> done) {
        if (!running.get()) {
            done.complete();
            return;
        }
        boolean after = killed.get();
        client.call(Duration.ofSeconds(3), "hello", "add", loop, i).onComplete(ar -> {
            if (ar.succeeded()) {
                CallResult r = ar.result();
                if (r.asInt() == loop + i) {
                    ok.incrementAndGet();
                    if (after) {
                        okAfterKill.incrementAndGet();
                    }
                } else {
                    wrong.incrementAndGet();
                }
            } else if (ar.cause() instanceof SnapgateException e) {
                failed.merge(e.code(), 1, Integer::sum);
            } else {
                wrong.incrementAndGet(); // anything but a typed failure is a wrong answer
            }
            callsUntilStopped(loop, i + 1, running, killed, ok, okAfterKill, wrong, failed, done);
        });
    }

    private static double calls(NodeProcess n) {
        return n.metric("snapgate_calls_total{outcome=\"ok\"}");
    }

    private static SnapgateException failure(Future<?> request) {
        Throwable t = request.transform(ar -> Future.succeededFuture(ar.cause())).await();
        assertThat(t).isInstanceOf(SnapgateException.class);
        return (SnapgateException) t;
    }
}
