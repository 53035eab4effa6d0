package io.snapgate.gateway.metrics;

import io.snapgate.vmm.sandbox.DroppedLog;
import io.snapgate.vmm.sandbox.GuestLog;

/**
 * The node's guest log: lines and each call's drop summary to SLF4J ({@code io.snapgate.guest}), and the lines
 * dropped past the per-call limits counted in {@code snapgate_guest_log_dropped_total}, so that a flood shows on
 * the metrics however the log is filtered.
 */
public record MeteredGuestLog(GatewayMetrics metrics) implements GuestLog {
    @Override
    public void log(int level, String message) {
        SLF4J.log(level, message);
    }

    @Override
    public void dropped(DroppedLog drops) {
        SLF4J.dropped(drops);
        metrics.add("snapgate.guest.log.dropped", "guest log lines dropped past the per-call limits", drops.lines());
    }
}
