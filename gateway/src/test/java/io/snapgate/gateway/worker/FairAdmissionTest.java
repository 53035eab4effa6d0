package io.snapgate.gateway.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admission's shares between tenants and a worker's turns between them, on the real classes. */
class FairAdmissionTest {
    @Test
    void aFloodingTenantIsRefusedAtItsShareWhileANewcomerIsAdmitted() {
        Admission admission = new Admission(2, 98); // 100 places
        List<Tenant> flood = new ArrayList<>();
        GatewayException refused = null;
        while (refused == null) {
            try {
                flood.add(admission.admit("flood"));
            } catch (GatewayException e) {
                refused = e;
            }
        }
        assertThat(flood).as("alone, a tenant may take half the places").hasSize(50);
        assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused.getMessage()).contains("flood has 50 calls running or queued, against its share of 50 of"
                + " the node's 100 places among 1 callers");
        assertThat(admission.refused(Refusal.TENANT_SHARE)).isEqualTo(1);

        Tenant trickle = admission.admit("trickle");
        assertThat(admission.tenants()).isEqualTo(2);
        assertThatThrownBy(() -> admission.admit("flood")).as("with two tenants, the flood's share is a third")
                .hasMessageContaining("flood has 50 calls running or queued, against its share of 33 ");
        admission.release(trickle);
        assertThat(admission.tenants()).as("a tenant without calls is retired").isEqualTo(1);
        flood.forEach(admission::release);
        assertThat(admission.tenants()).isZero();
        assertThat(admission.inFlight()).isZero();
        assertThat(admission.admit("flood").jobs()).as("a retired tenant starts again from one call").isEqualTo(1);
    }

    @Test
    void belowHalfTheNodeAnyTenantMayUseTheIdleCapacityAndAFullNodeRefusesEveryone() {
        Admission admission = new Admission(1, 9); // 10 places
        for (int i = 0; i < 5; i++) {
            admission.admit("one");
        }
        for (int i = 0; i < 3; i++) { // share 10 / (2 tenants + 1) = 3
            admission.admit("two");
        }
        admission.admit("three");
        admission.admit("four");
        assertThatThrownBy(() -> admission.admit("five")).hasMessageContaining("at capacity (10 calls");
        assertThat(admission.refused(Refusal.NODE_FULL)).isEqualTo(1);
        assertThat(admission.inFlight()).isEqualTo(10);
    }

    @Test
    void aWorkerTakesTurnsBetweenTenantsAndKeepsEachTenantsOrder() {
        FairQueue queue = new FairQueue();
        Tenant flood = Tenant.permanent("flood", 1);
        Tenant trickle = Tenant.permanent("trickle", 1);
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "flood" + i;
            queue.add(flood.lane(0), () -> ran.add(name));
        }
        queue.add(trickle.lane(0), () -> ran.add("trickle0"));
        queue.add(trickle.lane(0), () -> ran.add("trickle1"));
        assertThat(runOne(queue)).isEqualTo(1);
        queue.add(flood.lane(0), () -> ran.add("flood4"));
        for (int i = 0; i < 6; i++) {
            assertThat(runOne(queue)).isEqualTo(1);
        }
        assertThat(ran).containsExactly("flood0", "trickle0", "flood1", "trickle1", "flood2", "flood3", "flood4");
        assertThat(runOne(queue)).as("nothing left to run").isZero();
    }

    @Test
    void aTurnTakesALanesNextJobsThatJoinItAndPutsBackThoseItDidNotRun() {
        FairQueue queue = new FairQueue();
        Tenant a = Tenant.permanent("a", 1);
        Tenant b = Tenant.permanent("b", 1);
        List<String> ran = new ArrayList<>();
        for (String name : List.of("a0", "a1", "a2", "x3", "a4")) {
            queue.add(a.lane(0), named(name, ran));
        }
        queue.add(b.lane(0), named("b0", ran));
        // a0 takes a1 and a2 (x3 does not join); it runs a0 and a1 and leaves a2
        assertThat(queue.runNext((first, next) -> next.toString().startsWith("a"), 10, turn -> {
            assertThat(turn).extracting(Object::toString).containsExactly("a0", "a1", "a2");
            turn.get(0).run();
            turn.get(1).run();
            return List.of(turn.get(2));
        })).isEqualTo(2);
        while (runOne(queue) > 0) {
            // the rest one by one
        }
        assertThat(ran).containsExactly("a0", "a1", "b0", "a2", "x3", "a4");
    }

    @Test
    void aTurnGoesOnToTheNextLanesAndALaneNoneOfWhoseJobsRanKeepsItsPlace() {
        FairQueue queue = new FairQueue();
        Tenant a = Tenant.permanent("a", 1);
        Tenant b = Tenant.permanent("b", 1);
        Tenant c = Tenant.permanent("c", 1);
        Tenant d = Tenant.permanent("d", 1);
        List<String> ran = new ArrayList<>();
        queue.add(a.lane(0), named("j0", ran));
        queue.add(b.lane(0), named("j1", ran));
        queue.add(b.lane(0), named("j2", ran));
        queue.add(c.lane(0), named("j3", ran));
        queue.add(d.lane(0), named("x4", ran));
        assertThat(queue.runNext((first, next) -> next.toString().startsWith("j"), 10, turn -> {
            assertThat(turn).extracting(Object::toString).containsExactly("j0", "j1", "j2", "j3");
            turn.get(0).run();
            turn.get(1).run();
            return List.of(turn.get(2), turn.get(3));
        })).isEqualTo(2);
        while (runOne(queue) > 0) {
            // the rest one by one
        }
        // c ran nothing and stays ahead of d; b ran one, so it goes behind them
        assertThat(ran).containsExactly("j0", "j1", "j3", "x4", "j2");
    }

    private static Runnable named(String name, List<String> ran) {
        return new Runnable() {
            @Override
            public void run() {
                ran.add(name);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static int runOne(FairQueue queue) {
        return queue.runNext((first, next) -> false, 1, turn -> {
            turn.get(0).run();
            return List.of();
        });
    }
}
