package io.snapgate.gateway.worker;

/** What a guest function returned (its canonical Java value) and how long the call ran on the vCPU. */
public record GuestReturn(Object value, long durationMicros) {
}
