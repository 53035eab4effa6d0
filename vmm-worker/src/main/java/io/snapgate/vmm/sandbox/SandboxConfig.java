package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.ResetStrategy;
import java.time.Duration;

/**
 * How a sandbox is built: the sizes of the regions after the image, the time limit each call gets unless it
 * names its own ({@link Duration#ZERO}: no limit), how a restore resets the pages the guest wrote
 * (BENCHMARKS.md says why the default is the faster one here), and what each call may make the host do.
 */
public record SandboxConfig(LayoutSizes sizes, Duration callTimeout, ResetStrategy reset, GuestLimits limits) {
    public static final SandboxConfig DEFAULT = new SandboxConfig(LayoutSizes.DEFAULT, Duration.ZERO,
            ResetStrategy.COPY_BACK, GuestLimits.DEFAULT);

    public SandboxConfig {
        if (callTimeout.isNegative()) {
            throw new IllegalArgumentException("call timeout " + callTimeout + " is negative");
        }
    }

    public SandboxConfig withCallTimeout(Duration timeout) {
        return new SandboxConfig(sizes, timeout, reset, limits);
    }

    public SandboxConfig withSizes(LayoutSizes newSizes) {
        return new SandboxConfig(newSizes, callTimeout, reset, limits);
    }

    public SandboxConfig withReset(ResetStrategy strategy) {
        return new SandboxConfig(sizes, callTimeout, strategy, limits);
    }

    public SandboxConfig withLimits(GuestLimits newLimits) {
        return new SandboxConfig(sizes, callTimeout, reset, newLimits);
    }
}
