package io.snapgate.vmm.vcpu;

/**
 * What the read+execute slots given to {@link Vcpu#map} hold: a digest of their bytes, and a lease on the host
 * memory behind them. A backend may keep that code mapped and translated, across vCPUs that reuse its engine,
 * for as long as the same digest is mapped at the same guest addresses; it runs {@code release} once it maps
 * other code or is destroyed, and until then relies on the host memory staying mapped and unchanged.
 */
public record GuestCode(String digest, Runnable release) {
}
