package io.snapgate.vmm.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the guest's log lines ({@code sg_log} and the built-in host function {@code print}), within the
 * call's {@link GuestLimits}. The default writes them to the SLF4J logger {@code io.snapgate.guest}.
 */
@FunctionalInterface
public interface GuestLog {
    Logger LOG = LoggerFactory.getLogger("io.snapgate.guest");

    GuestLog SLF4J = (level, message) -> {
        switch (level) {
            case 0 -> LOG.trace("{}", message);
            case 1 -> LOG.debug("{}", message);
            case 2 -> LOG.info("{}", message);
            case 3 -> LOG.warn("{}", message);
            default -> LOG.error("{}", message);
        }
    };

    /** Level 0 trace, 1 debug, 2 info, 3 warn, 4 error (anything else is logged as an error). */
    void log(int level, String message);

    /**
     * Once at the end of a call whose guest went past the log limits: what was dropped. By default one warning
     * on {@code io.snapgate.guest}, so that a flood leaves one line, not none.
     */
    default void dropped(DroppedLog drops) {
        LOG.warn("{}", drops.summary());
    }
}
