package io.snapgate.gateway.worker;

import java.util.Locale;

/** Why admission refused a job (503 OVERLOADED), as the metric {@code snapgate_admission_refused_total} tags it. */
public enum Refusal {
    /** Every place of the node (a running call per worker plus {@code maxQueue}) is taken. */
    NODE_FULL,
    /** The node is more than half full and the job's tenant holds its share of the places already. */
    TENANT_SHARE,
    /** The memory budget refused the job's sandbox even after idle cached sandboxes were evicted. */
    MEMORY_BUDGET;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
