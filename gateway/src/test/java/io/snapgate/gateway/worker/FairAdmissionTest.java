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
        assertThat(queue.runNext()).isTrue();
        queue.add(flood.lane(0), () -> ran.add("flood4"));
        for (int i = 0; i < 6; i++) {
            assertThat(queue.runNext()).isTrue();
        }
        assertThat(ran).containsExactly("flood0", "trickle0", "flood1", "trickle1", "flood2", "flood3", "flood4");
        assertThat(queue.runNext()).as("nothing left to run").isFalse();
    }
}
